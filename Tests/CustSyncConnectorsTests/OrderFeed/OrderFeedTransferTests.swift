import CCurl
@testable import CustSyncConnectors
import CustSyncTestSupport
import Foundation
import XCTest

/// The libcurl wrapper the order feed uses, against the loopback feed server.
final class OrderFeedTransferTests: XCTestCase {
    private func transfer(maxResponseSize: Int = 1 << 20) throws -> HTTPTransfer {
        try HTTPTransfer(options: TransferOptions(connectTimeout: 5, timeout: 20, maxResponseSize: maxResponseSize,
                                                  userAgent: "custsync/test"))
    }

    func testHeadersAreCleanAndBodiesDecompressed() throws {
        let server = try FeedServer(["--orders", "5", "--page-size", "5"])
        let response = try transfer().get(server.url())
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["content-encoding"], "gzip")
        let etag = try XCTUnwrap(response.headers["ETag"])
        XCTAssertFalse(etag.unicodeScalars.contains { $0 == "\r" || $0 == "\n" }, "header values carry no CR/LF")
        XCTAssertTrue(etag.hasPrefix("\"") && etag.hasSuffix("\""))
        let body = try JSONParser.parse(response.body)
        XCTAssertEqual(body["records"].map { if case .array(let a) = $0 { a.count } else { -1 } }, 5)
        XCTAssertEqual(try server.stat("gzip"), 1)
    }

    func testHeaderLinesWithLineBreaksAreDropped() {
        let list = CurlHeaderList(["X-Good: 1", "X-Evil: a\r\nX-Injected: b", "X-Also-Evil: c\n", "X-Fine: 2"])
        var lines: [String] = []
        var node = list.pointer
        while let current = node {
            lines.append(String(cString: current.pointee.data))
            node = current.pointee.next
        }
        XCTAssertEqual(lines, ["X-Good: 1", "X-Fine: 2"])
    }

    func testCancellingAbortsATransferInFlight() throws {
        let server = try FeedServer(["--orders", "5"])
        try server.control("fault?kind=slow&count=1&delay=10")
        let started = Date()
        XCTAssertThrowsError(try transfer().get(server.url(), shouldCancel: { Date().timeIntervalSince(started) > 0.3 })) { error in
            XCTAssertEqual((error as? TransferError)?.kind, .cancelled, "\(error)")
        }
    }

    func testAnUnreachableServerIsAConnectionError() throws {
        // A port that was just free: nothing listens there.
        let server = try FeedServer(["--orders", "1"])
        let url = server.url()
        server.stop()
        XCTAssertThrowsError(try transfer().get(url)) { error in
            let failure = error as? TransferError
            XCTAssertEqual(failure?.kind, .connection, "\(error)")
            XCTAssertEqual(failure?.url, url)
            XCTAssertEqual(failure?.code, Int32(bitPattern: CURLE_COULDNT_CONNECT.rawValue))
            XCTAssertTrue(failure?.isTransient == true)
        }
    }
}
