import CustSyncCore
import Foundation
import Glibc

/// The person behind a control request: the kernel's credentials of the peer, its user and
/// group names from the system's databases, and the role they give under `[Access]`.
struct Caller: Sendable {
    let uid: UInt32
    let gid: UInt32
    let user: String
    let groups: Set<UInt32>
    let role: Role

    /// `uid 1001 (alice)`, for refusals and the log.
    var label: String { "uid \(uid) (\(user))" }

    static func identify(_ peer: ControlServer.PeerCredentials, access: AccessSettings) -> Caller {
        let user = userName(uid: peer.uid)
        // SO_PEERGROUPS gives the groups the process really had; without it, the user's groups
        // in the group database.
        var groups = Set(peer.groups ?? user.map { groupList(user: $0, primary: peer.gid) } ?? [])
        groups.insert(peer.gid)
        let role = Role.of(uid: peer.uid, groups: groups, daemonUID: geteuid(),
                           readerGID: groupID(named: access.readerGroup),
                           operatorGID: groupID(named: access.operatorGroup),
                           adminGID: groupID(named: access.adminGroup))
        return Caller(uid: peer.uid, gid: peer.gid, user: user ?? "uid \(peer.uid)", groups: groups, role: role)
    }

    // MARK: the system's user and group databases (NSS), reentrant calls

    static func userName(uid: UInt32) -> String? {
        withBuffer { buffer -> String?? in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            let rc = getpwuid_r(uid, &entry, buffer.baseAddress!, buffer.count, &result)
            if rc == ERANGE { return nil }
            return .some(result.map { String(cString: $0.pointee.pw_name) })
        }
    }

    static func groupID(named name: String) -> UInt32? {
        withBuffer { buffer -> UInt32?? in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let rc = getgrnam_r(name, &entry, buffer.baseAddress!, buffer.count, &result)
            if rc == ERANGE { return nil }
            return .some(result.map { $0.pointee.gr_gid })
        }
    }

    static func groupName(gid: UInt32) -> String? {
        withBuffer { buffer -> String?? in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let rc = getgrgid_r(gid, &entry, buffer.baseAddress!, buffer.count, &result)
            if rc == ERANGE { return nil }
            return .some(result.map { String(cString: $0.pointee.gr_name) })
        }
    }

    static func groupList(user: String, primary: UInt32) -> [UInt32] {
        var count: Int32 = 64
        while count <= 1 << 16 {
            var groups = [gid_t](repeating: 0, count: Int(count))
            var found = count
            if getgrouplist(user, primary, &groups, &found) >= 0 { return Array(groups.prefix(Int(found))) }
            count = max(count * 2, found)
        }
        return [primary]
    }

    /// Runs `body` with a scratch buffer, growing it while `body` answers nil (ERANGE).
    private static func withBuffer<T>(_ body: (UnsafeMutableBufferPointer<CChar>) -> T??) -> T? {
        var size = 1024
        while size <= 1 << 20 {
            var buffer = [CChar](repeating: 0, count: size)
            if let answer = buffer.withUnsafeMutableBufferPointer({ body($0) }) { return answer }
            size *= 4
        }
        return nil
    }
}
