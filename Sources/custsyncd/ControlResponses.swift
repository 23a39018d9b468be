import CustSyncCore
import Foundation

/// Builds the response lines: `{"ok":true,"result":…}` or `{"ok":false,"error":…,"exit":N}`.
enum ControlResponses {
    private struct Success<T: Encodable>: Encodable { let ok = true; let result: T }
    private struct Failure: Encodable { let ok = false; let error: String; let exit: Int32 }

    static func success<T: Encodable>(_ result: T) -> Data {
        (try? ControlJSON.encoder().encode(Success(result: result))) ?? failure(ControlFailure("cannot encode the response"))
    }

    static func failure(_ failure: ControlFailure) -> Data {
        (try? ControlJSON.encoder().encode(Failure(error: failure.error, exit: failure.exit))) ?? Data("{\"ok\":false}".utf8)
    }
}
