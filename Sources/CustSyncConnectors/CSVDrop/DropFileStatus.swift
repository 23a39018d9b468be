import Glibc

/// What `lstat` says about an entry of a drop folder (the entry itself, never a link's target).
struct DropFileStatus: Equatable, Sendable {
    enum Kind: String, Sendable {
        case regular = "regular file"
        case directory
        case symbolicLink = "symbolic link"
        case fifo = "FIFO"
        case socket
        case device = "device node"
    }

    var kind: Kind
    var size: Int64
    /// Modification time, seconds since 1970 with nanoseconds.
    var modified: Double
    var links: Int
    var device: UInt64
    var inode: UInt64

    init(_ st: stat) {
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        default: kind = .device
        }
        size = Int64(st.st_size)
        modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        links = Int(st.st_nlink)
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }

    /// Same content as far as `stat` can tell: size and modification time.
    func looksUnchanged(since other: DropFileStatus) -> Bool {
        size == other.size && modified == other.modified && inode == other.inode
    }
}
