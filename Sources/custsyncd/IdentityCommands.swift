import CustSyncCore
import Foundation

/// Control commands that change who is who and what is known about them: `resolve` (operator),
/// `tag` (operator), `merge` and `split` (admin). Each runs inside the single writer.
enum IdentityCommands {
    struct Tags: Encodable { let code: String; let tags: [String] }

    static func handle(_ command: String, _ arguments: [String: String], writer: StoreWriter, actor: String) throws -> Data? {
        do {
            switch command {
            case "resolve": return ControlResponses.success(try resolve(arguments, writer: writer, actor: actor))
            case "merge": return ControlResponses.success(try merge(arguments, writer: writer, actor: actor))
            case "split": return ControlResponses.success(try split(arguments, writer: writer, actor: actor))
            case "tag": return ControlResponses.success(try tag(arguments, writer: writer, actor: actor))
            default: return nil
            }
        } catch let refusal as EngineRefusal {
            throw refusal.isNotFound ? ControlFailure.notFound(refusal.message) : ControlFailure(refusal.message)
        }
    }

    static func resolve(_ arguments: [String: String], writer: StoreWriter, actor: String) throws -> ActionResult {
        guard let id = arguments["id"].flatMap(Int64.init) else { throw ControlFailure.usage("resolve needs a conflict ID (see `syncctl conflicts`)") }
        let resolution: ConflictResolution
        switch (arguments["take"], arguments["value"], arguments["merge"], arguments["separate"]) {
        case (let source?, nil, nil, nil): resolution = .takeSource(source)
        case (nil, let value?, nil, nil): resolution = .value(value)
        case (nil, nil, "true", nil): resolution = .merge
        case (nil, nil, nil, "true"): resolution = .keepSeparate
        default:
            throw ControlFailure.usage("resolve ID needs exactly one of --take SOURCE, --value V (field conflicts), --merge or --separate (merge candidates)")
        }
        try writer.perform { try $0.resolveConflict(id, resolution, actor: actor) }
        return ActionResult(message: "conflict #\(id) resolved")
    }

    static func merge(_ arguments: [String: String], writer: StoreWriter, actor: String) throws -> ActionResult {
        guard let absorbed = arguments["code"], let survivor = arguments["into"] else {
            throw ControlFailure.usage("merge needs two customer codes: syncctl merge CODE INTO-CODE")
        }
        try writer.perform { try $0.mergeCustomers(absorbed, into: survivor, source: actor) }
        return ActionResult(message: "\(absorbed) merged into \(survivor); `syncctl split \(absorbed)` undoes it")
    }

    static func split(_ arguments: [String: String], writer: StoreWriter, actor: String) throws -> ActionResult {
        guard let absorbed = arguments["code"] else { throw ControlFailure.usage("split needs the code that was merged away") }
        let survivor = try writer.perform { try $0.split(absorbed, source: actor) }
        return ActionResult(message: "\(absorbed) split off \(survivor) again")
    }

    static func tag(_ arguments: [String: String], writer: StoreWriter, actor: String) throws -> Tags {
        guard let code = arguments["code"] else { throw ControlFailure.usage("tag needs a customer code: syncctl tag CODE +name -name") }
        let split = { (key: String) in (arguments[key] ?? "").split(separator: ",").map(String.init) }
        let add = split("add"), remove = split("remove")
        guard !add.isEmpty || !remove.isEmpty else { throw ControlFailure.usage("tag needs +name to add or -name to remove") }
        let tags = try writer.perform { try $0.setTags(code, add: add, remove: remove, actor: actor) }
        return Tags(code: code, tags: tags)
    }
}
