@testable import CustSyncConnectors
import CustSyncCore
import CustSyncTestSupport
import Foundation
import XCTest

/// The order-feed connector against the real loopback feed server, committing into a real store.
final class OrderFeedConnectorTests: OrderFeedTestCase {
    private func incrementalFeed(_ server: FeedServer, _ extra: String = "") -> String {
        """
        URL=\(server.url())
        Format=json-object
        UpdatedSinceParameter=updated_since
        AfterIDParameter=after_id
        RetryDelay=50ms
        RetryDelayMax=200ms
        \(extra)
        """
    }

    // MARK: Pagination, cursor, ETag

    func testWalksEveryPageAndCommitsEachOrderOnce() throws {
        let server = try FeedServer(["--orders", "60", "--page-size", "10"])
        let feed = try connector(incrementalFeed(server))
        try store.poll(feed, batchSize: 25)

        XCTAssertEqual(try interactionCount(), 60)
        XCTAssertEqual(try distinctOrderCount(), 60)
        XCTAssertEqual(try recordedJournalCount(), 60)
        XCTAssertEqual(try store.count("SELECT count(*) FROM customers"), 20, "orders of one customer land on one customer")
        XCTAssertEqual(try server.stat("served_pages"), 6)
        XCTAssertGreaterThan(try server.stat("gzip"), 0, "responses were compressed")
        XCTAssertEqual(try server.control("stats")["user_agent"] as? String, "custsync/test")

        let cursor = try XCTUnwrap(try store.cursor("orders"))
        XCTAssertNil(cursor.next, "the walk reached the last page")
        XCTAssertEqual(cursor.afterID, "O-00060")
        XCTAssertEqual(cursor.updatedSince, "2024-05-01T10:00:19Z")

        // Nothing new: the next poll asks from the high-water mark and gets no orders; the one
        // after that sends the first page's ETag back and is answered 304.
        try store.poll(feed)
        try store.poll(feed)
        XCTAssertEqual(try server.stat("not_modified"), 1)
        XCTAssertEqual(try recordedJournalCount(), 60)
        XCTAssertEqual(try store.count("SELECT count(*) FROM quarantine"), 0)

        // New orders arrive: only they are fetched.
        try server.control("add?count=15")
        try store.poll(feed)
        XCTAssertEqual(try interactionCount(), 75)
        XCTAssertEqual(try recordedJournalCount(), 75)
    }

    func testAnOverlapReadsAnOrderCommittedLateWithAnOlderUpdatedAt() throws {
        let server = try FeedServer(["--orders", "30", "--page-size", "10"])
        let exact = try connector(incrementalFeed(server), name: "exact")
        let overlapping = try connector(incrementalFeed(server, "UpdatedSinceOverlap=1min"), name: "overlapping")
        try store.poll(exact)
        try store.poll(overlapping)
        // The shop commits an order whose updated_at is 20 s before the newest change read.
        try server.control("late?seconds=20")
        try store.poll(exact)
        try store.poll(overlapping)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions WHERE source = 'exact'"), 30,
                       "without an overlap the late order is behind the cursor and never read")
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions WHERE source = 'overlapping'"), 31)
        // The orders read again in the overlap changed nothing.
        XCTAssertEqual(try store.count("SELECT count(*) FROM journal WHERE source = 'overlapping' AND kind = 'interaction.recorded'"), 31)
        XCTAssertEqual(try store.count("SELECT count(*) FROM journal WHERE source = 'overlapping' AND kind = 'interaction.updated'"), 0)
        // The cursor stays at the newest order, not the late one.
        XCTAssertEqual(try XCTUnwrap(try store.cursor("overlapping")).updatedSince, "2024-05-01T10:00:09Z")
    }

    func testETagOfAnUnchangedOnePageFeedGets304() throws {
        let server = try FeedServer(["--orders", "8", "--page-size", "10", "--content-etag"])
        let feed = try connector("URL=\(server.url())\nFormat=json-object")
        try store.poll(feed)
        try store.poll(feed)
        XCTAssertEqual(try server.stat("not_modified"), 1, "the page's ETag came back as If-None-Match")
        XCTAssertEqual(try server.stat("served_pages"), 1)
        XCTAssertEqual(try interactionCount(), 8)
    }

    func testAnUnchangedFirstPageDoesNotHideChangesOnLaterPages() throws {
        // ETags of the page's content: page 1 stays the same while orders are added after it.
        let server = try FeedServer(["--orders", "30", "--page-size", "10", "--content-etag"])
        let feed = try connector("URL=\(server.url())\nFormat=json-object")
        try store.poll(feed)
        try server.control("add?count=5")
        try store.poll(feed)
        XCTAssertEqual(try interactionCount(), 35)
        XCTAssertEqual(try server.stat("not_modified"), 0, "the first page led on: its ETag was not sent back")
    }

    func testAPageThatNamesItselfAsNextIsTheLast() throws {
        let server = try FeedServer(["--orders", "30", "--page-size", "10"])
        try server.control("fault?kind=next-self&count=1&page=3")
        try store.poll(try connector("URL=\(server.url())\nFormat=json-object"))
        XCTAssertEqual(try interactionCount(), 30)
        XCTAssertNil(try store.cursor("orders")?.next)
    }

    /// A feed whose last page links on for ever (`fault` on every request): the walk ends with
    /// every order after `servedPages` pages, and the next poll asks for what changed since.
    private func assertTheWalkEnds(despite fault: String, servedPages: Int, _ message: String) throws {
        let server = try FeedServer(["--orders", "30", "--page-size", "10"])
        try server.control("fault?kind=\(fault)&count=1000000")
        let feed = try connector(incrementalFeed(server))
        try store.poll(feed, timeout: 5)
        XCTAssertEqual(try server.stat("served_pages"), servedPages, message)
        XCTAssertEqual(try interactionCount(), 30)
        XCTAssertEqual(try recordedJournalCount(), 30)
        XCTAssertNil(try store.cursor("orders")?.next, "the walk is complete: the next poll asks for what changed")

        try server.control("add?count=5")
        try store.poll(feed, timeout: 5)
        XCTAssertEqual(try interactionCount(), 35)
    }

    func testALastPageRepeatedUnderEverNewLinksEndsTheWalk() throws {
        try assertTheWalkEnds(despite: "next-onward", servedPages: 4, "the repeated page was read once")
    }

    func testEndlessEmptyPagesUnderEverNewLinksEndTheWalk() throws {
        try assertTheWalkEnds(despite: "next-empty", servedPages: 3 + FeedWalk.emptyPagesEndingAWalk,
                              "three pages of orders, then ten empty ones")
    }

    func testAFewEmptyPagesBeforeMoreOrdersAreWalkedThrough() throws {
        let server = try FeedServer(["--orders", "30", "--page-size", "10"])
        // Pages 2 and 3 come back empty, each with a link to the same orders again.
        try server.control("fault?kind=empty&count=1&page=2")
        try server.control("fault?kind=empty&count=1&page=3")
        let feed = try connector("URL=\(server.url())\nFormat=json-object")
        try store.poll(feed, timeout: 5)
        XCTAssertEqual(try server.stat("served_pages"), 5)
        XCTAssertEqual(try interactionCount(), 30, "pages 1, 4 and 5 bring the orders")
    }

    func testANextLinkToAnotherServerOrBackToAPageReadIsRefusedAndItsPageNotRead() throws {
        for (kind, words) in [("next-foreign", "points to another server"), ("next-loop", "the feed's paging loops")] {
            let server = try FeedServer(["--orders", "30", "--page-size", "10"])
            try server.control("fault?kind=\(kind)&count=100&page=2")
            let name = kind.replacingOccurrences(of: "-", with: "")
            let feed = try connector("URL=\(server.url())\nFormat=json-object", name: name)
            let error = try XCTUnwrap(pollFailure(feed))
            XCTAssertTrue(error.message.contains(words), error.message)
            XCTAssertTrue(error.isPermanent)
            // Page 2 is not read: a retry does not read (and quarantine what is bad in) it again.
            XCTAssertEqual(try interactionCount(name), 10, kind)
        }
    }

    func testAFeedRedirectedToAnotherServerIsReportedAsARedirectNotAsItsNextLink() throws {
        let server = try FeedServer(["--orders", "30", "--page-size", "10"])
        try server.control("fault?kind=redirect-foreign&count=1&page=1")
        let feed = try connector("URL=\(server.url())\nFormat=json-object")
        let error = try XCTUnwrap(pollFailure(feed))
        XCTAssertTrue(error.isPermanent)
        XCTAssertTrue(error.message.contains("redirected to http://localhost:"), error.message)
        XCTAssertTrue(error.message.contains("set URL="), error.message)
        XCTAssertEqual(try interactionCount(), 0, "nothing read from the other server is committed")
    }

    func testAWalkLeftUnfinishedOnTheServerOfAnEarlierURLIsNotResumedThere() throws {
        let old = try FeedServer(["--orders", "30", "--page-size", "10"])
        try old.control("fault?kind=500&count=100&page=2")
        XCTAssertNotNil(pollFailure(try connector("URL=\(old.url())\nFormat=json-object\nRetries=0")))
        XCTAssertNotNil(try store.cursor("orders")?.next, "the walk stopped before page 2")
        let requests = try old.stat("orders_requests")

        let new = try FeedServer(["--orders", "30", "--page-size", "10"])
        try store.poll(try connector("URL=\(new.url())\nFormat=json-object"))
        XCTAssertEqual(try old.stat("orders_requests"), requests, "nothing more went to the server of the old URL=")
        XCTAssertEqual(try new.stat("served_pages"), 3, "the walk started again at the new URL='s first page")
        XCTAssertEqual(try interactionCount(), 30)
    }

    func testLinkHeaderPagingWithJSONArrayAndNDJSON() throws {
        for format in ["json-array", "ndjson"] {
            let server = try FeedServer(["--orders", "45", "--page-size", "7", "--format", format, "--paging", "link"])
            let name = format == "ndjson" ? "lines" : "array"
            let feed = try connector("URL=\(server.url())\nFormat=\(format)\nUpdatedSinceParameter=updated_since\nAfterIDParameter=after_id",
                                     name: name)
            try store.poll(feed)
            XCTAssertEqual(try interactionCount(name), 45, format)
            XCTAssertEqual(try server.stat("served_pages"), 7, format)
        }
    }

    func testCursorParameterResumesFromTheFeedsToken() throws {
        let server = try FeedServer(["--orders", "40", "--page-size", "10", "--cursor"])
        let feed = try connector("URL=\(server.url())\nFormat=json-object\nCursorParameter=cursor\nCursorPath=cursor")
        try store.poll(feed)
        XCTAssertEqual(try interactionCount(), 40)
        XCTAssertEqual(try store.cursor("orders")?.token, "40")

        try server.control("status?id=O-00003&status=shipped")
        try store.poll(feed)
        XCTAssertEqual(try store.strings("SELECT status FROM interactions WHERE source_key = 'O-00003'"), ["shipped"])
        XCTAssertEqual(try store.cursor("orders")?.token, "41")
        XCTAssertEqual(try interactionCount(), 40)
    }

    func testACursorTheFeedHasForgottenReadsTheFeedAgainFromItsStart() throws {
        let server = try FeedServer(["--orders", "30", "--page-size", "10", "--cursor"])
        let feed = try connector("URL=\(server.url())\nFormat=json-object\nCursorParameter=cursor\nCursorPath=cursor")
        try store.poll(feed)
        XCTAssertEqual(try store.cursor("orders")?.token, "30")

        // Five new orders, and the feed answers the stored cursor with 410 Gone.
        try server.control("add?count=5")
        try server.control("fault?kind=gone&count=1&page=1")
        try store.poll(feed)
        XCTAssertEqual(try server.stat("served_pages"), 3 + 4, "the whole feed read again")
        XCTAssertEqual(try interactionCount(), 35)
        XCTAssertEqual(try recordedJournalCount(), 35, "orders read again change nothing")
        XCTAssertEqual(try store.cursor("orders")?.token, "35")
    }

    // MARK: Changed orders

    func testAChangedOrderUpdatesTheSameInteraction() throws {
        let server = try FeedServer(["--orders", "30", "--page-size", "10"])
        let feed = try connector(incrementalFeed(server))
        try store.poll(feed)
        XCTAssertEqual(try store.strings("SELECT status FROM interactions WHERE source_key = 'O-00005'"), ["paid"])

        try server.control("status?id=O-00005&status=refunded")
        try store.poll(feed)
        XCTAssertEqual(try interactionCount(), 30, "the refund did not create a second interaction")
        XCTAssertEqual(try store.strings("SELECT status FROM interactions WHERE source_key = 'O-00005'"), ["refunded"])
        XCTAssertEqual(try store.count("SELECT count(*) FROM journal WHERE kind = 'interaction.updated'"), 1)
        XCTAssertEqual(try recordedJournalCount(), 30)

        // Polling again finds nothing new and changes nothing.
        try store.poll(feed)
        XCTAssertEqual(try store.count("SELECT count(*) FROM journal WHERE kind = 'interaction.updated'"), 1)
    }

    // MARK: Crash mid-walk

    func testAWalkCutShortResumesWithoutLossOrDuplicates() throws {
        let server = try FeedServer(["--orders", "100", "--page-size", "10"])
        let feed = try connector(incrementalFeed(server))
        // The "daemon" dies after committing three batches of one page each.
        XCTAssertThrowsError(try store.poll(feed, batchSize: 10, deliverLimit: 3))
        XCTAssertEqual(try interactionCount(), 30)
        let cursor = try XCTUnwrap(try store.cursor("orders"))
        XCTAssertNotNil(cursor.next, "the cursor names the page after the last one committed")

        let restarted = try connector(incrementalFeed(server))
        try store.poll(restarted, batchSize: 10)
        XCTAssertEqual(try interactionCount(), 100)
        XCTAssertEqual(try recordedJournalCount(), 100, "every order recorded exactly once")
    }

    func testAnExpiredNextLinkLeftByAnEarlierPollRestartsTheWalkFromTheHead() throws {
        let server = try FeedServer(["--orders", "30", "--page-size", "10"])
        let feed = try connector(incrementalFeed(server, "Retries=0"))
        try server.control("fault?kind=500&count=1&page=2")
        XCTAssertNotNil(pollFailure(feed))
        XCTAssertEqual(try interactionCount(), 10)
        XCTAssertNotNil(try store.cursor("orders")?.next, "the walk stopped before page 2")

        // By the next poll the feed has forgotten that page's link.
        try server.control("fault?kind=gone&count=1&page=2")
        try store.poll(feed)
        XCTAssertEqual(try server.stat("served_pages"), 4, "read again from the walk's first page, whatever the feed's order")
        XCTAssertEqual(try interactionCount(), 30)
        XCTAssertEqual(try recordedJournalCount(), 30, "every order recorded exactly once")
        XCTAssertNil(try store.cursor("orders")?.next)
    }

    // MARK: Faults

    func testRetryAfterIsHonouredOn429And503() throws {
        let server = try FeedServer(["--orders", "30", "--page-size", "10"])
        try server.control("fault?kind=429&count=1&page=2&retry_after=1")
        try server.control("fault?kind=503&count=1&page=3&retry_after=1")
        let feed = try connector(incrementalFeed(server))
        try store.poll(feed)
        XCTAssertEqual(try interactionCount(), 30)
        XCTAssertEqual(try server.stat("faults_served"), 2)
        XCTAssertEqual(try server.stat("too_early"), 0, "no request came before Retry-After had passed")
    }

    func testRetryAfterBeyondThePollEndsItAndIsRemembered() throws {
        let server = try FeedServer(["--orders", "20", "--page-size", "10"])
        try server.control("fault?kind=429&count=1&page=2&retry_after=3600")
        let feed = try connector(incrementalFeed(server))
        let error = try XCTUnwrap(pollFailure(feed))
        XCTAssertTrue(error.message.contains("Retry-After"), error.message)
        XCTAssertEqual(try interactionCount(), 10, "the page before the 429 is committed")
        let requests = try server.stat("orders_requests")
        // The next poll does not ask the feed before the hour is up.
        XCTAssertNotNil(pollFailure(feed))
        XCTAssertEqual(try server.stat("orders_requests"), requests)
    }

    func testAnAbsurdRetryAfterPausesTheConnectorForADay() throws {
        let server = try FeedServer(["--orders", "20", "--page-size", "10"])
        try server.control("fault?kind=429&count=1&page=2&retry_after=99999999999999999999")
        let feed = try connector(incrementalFeed(server))
        let error = try XCTUnwrap(pollFailure(feed))
        XCTAssertTrue(error.message.contains("wait 1d (Retry-After)"), error.message)
        XCTAssertEqual(try interactionCount(), 10)
    }

    func testServerErrorsAreRetriedWithBackoff() throws {
        let server = try FeedServer(["--orders", "30", "--page-size", "10"])
        try server.control("fault?kind=500&count=2&page=2")
        try server.control("fault?kind=drop&count=1&page=3")
        let feed = try connector(incrementalFeed(server))
        try store.poll(feed)
        XCTAssertEqual(try interactionCount(), 30)
        XCTAssertEqual(try server.stat("faults_served"), 3)
    }

    func testPersistentServerErrorsFailThePollAndKeepProgress() throws {
        let server = try FeedServer(["--orders", "50", "--page-size", "10"])
        try server.control("fault?kind=500&count=100&page=3")
        let feed = try connector(incrementalFeed(server, "Retries=2"))
        let error = try XCTUnwrap(pollFailure(feed, batchSize: 1000))
        XCTAssertTrue(error.message.contains("HTTP 500"), error.message)
        XCTAssertTrue(error.message.contains("3 attempts"), error.message)
        XCTAssertFalse(error.isPermanent)
        XCTAssertEqual(try server.stat("faults_served"), 3)
        XCTAssertEqual(try interactionCount(), 20, "pages read before the failure are committed")

        try server.control("clear")
        try store.poll(feed)
        XCTAssertEqual(try interactionCount(), 50)
        XCTAssertEqual(try recordedJournalCount(), 50)
    }

    func testASlowResponseTimesOutAndIsRetried() throws {
        let server = try FeedServer(["--orders", "20", "--page-size", "10"])
        try server.control("fault?kind=slow&count=1&page=2&delay=4")
        let feed = try connector(incrementalFeed(server, "PageTimeout=1s"))
        try store.poll(feed)
        XCTAssertEqual(try interactionCount(), 20)
        XCTAssertEqual(try server.stat("faults_served"), 1)

        try server.control("fault?kind=slow&count=2&delay=4")
        try server.control("add?count=5")
        let stubborn = try connector(incrementalFeed(server, "PageTimeout=1s\nRetries=1"))
        let error = try XCTUnwrap(pollFailure(stubborn))
        XCTAssertTrue(error.message.contains("timed out"), error.message)
    }

    func testATruncatedBodyIsQuarantinedAndThePageFetchedAgainLater() throws {
        let server = try FeedServer(["--orders", "30", "--page-size", "10"])
        try server.control("fault?kind=truncated&count=1&page=2")
        let feed = try connector(incrementalFeed(server))
        let error = try XCTUnwrap(pollFailure(feed))
        XCTAssertTrue(error.message.contains("quarantined"), error.message)
        XCTAssertFalse(error.isPermanent)
        XCTAssertEqual(try interactionCount(), 10, "the page before is committed")
        let origins = try store.strings("SELECT origin FROM quarantine WHERE source = 'orders'")
        XCTAssertEqual(origins.count, 1)
        XCTAssertTrue(origins.first?.contains("/orders?") == true && origins.first?.contains("p=2") == true, "\(origins)")
        let reasons = try store.strings("SELECT reason FROM quarantine")
        XCTAssertTrue(reasons.first?.contains("ended early") == true, "\(reasons)")

        try store.poll(feed)
        XCTAssertEqual(try interactionCount(), 30)
        XCTAssertEqual(try recordedJournalCount(), 30)
    }

    func testInvalidJSONIsQuarantinedOnceWhileItStaysBroken() throws {
        let server = try FeedServer(["--orders", "20", "--page-size", "10"])
        try server.control("fault?kind=invalid&count=2&page=1")
        let feed = try connector(incrementalFeed(server))
        XCTAssertNotNil(pollFailure(feed))
        XCTAssertNotNil(pollFailure(feed))
        let reasons = try store.strings("SELECT reason FROM quarantine WHERE source = 'orders'")
        XCTAssertEqual(reasons.count, 1, "the same broken page is quarantined once")
        XCTAssertTrue(reasons.first?.contains("invalid JSON") == true, "\(reasons)")
        let raw = try store.strings("SELECT raw FROM quarantine")
        XCTAssertTrue(raw.first?.contains("this is not json") == true, "the body is kept for inspection")

        try store.poll(feed)
        XCTAssertEqual(try interactionCount(), 20)
    }

    func testAnObjectWithoutTheRecordsIsQuarantinedNotTakenForAnEmptyFeed() throws {
        let server = try FeedServer(["--orders", "20", "--page-size", "10"])
        try server.control("fault?kind=error-object&count=1&page=1")
        let feed = try connector(incrementalFeed(server))
        let error = try XCTUnwrap(pollFailure(feed))
        XCTAssertTrue(error.message.contains("quarantined"), error.message)
        let reasons = try store.strings("SELECT reason FROM quarantine WHERE source = 'orders'")
        XCTAssertEqual(reasons.count, 1)
        XCTAssertTrue(reasons.first?.contains(#"the object has no records (its keys: "error", "message")"#) == true, "\(reasons)")
        XCTAssertEqual(try interactionCount(), 0)

        try store.poll(feed)
        XCTAssertEqual(try interactionCount(), 20, "the walk goes on from where it stopped once the feed answers")
    }

    func testAnEndlessBodyIsCutAtMaxResponseSize() throws {
        let server = try FeedServer(["--orders", "20", "--page-size", "10"])
        try server.control("fault?kind=endless&count=1")
        let feed = try connector(incrementalFeed(server, "MaxResponseSize=256K"))
        let error = try XCTUnwrap(pollFailure(feed))
        XCTAssertTrue(error.message.contains("MaxResponseSize"), error.message)
        XCTAssertTrue(error.isPermanent)
    }

    func testAnAnnouncedBodyOverMaxResponseSizeIsRefusedWithTheLimit() throws {
        let server = try FeedServer(["--orders", "20", "--page-size", "20", "--no-gzip"])
        let feed = try connector(incrementalFeed(server, "MaxResponseSize=1K"))
        let error = try XCTUnwrap(pollFailure(feed))
        XCTAssertTrue(error.message.contains("larger than MaxResponseSize=1024 bytes"), error.message)
        XCTAssertTrue(error.isPermanent)
    }

    func testOrdersThatCannotBeMappedAreQuarantinedAndTheRestApplied() throws {
        let server = try FeedServer(["--orders", "20", "--page-size", "10"])
        // A mapping that reads the total from a text field: every order is rejected by the mapper.
        let feed = try connector(incrementalFeed(server), mapping: OrderFeedTestCase.mapping
            .replacingOccurrences(of: "total=total", with: "customer.name=total"))
        try store.poll(feed)
        XCTAssertEqual(try interactionCount(), 0)
        let reasons = try store.strings("SELECT reason FROM quarantine")
        XCTAssertEqual(reasons.count, 20)
        XCTAssertTrue(reasons.first?.contains("total at customer.name is not a number") == true, "\(reasons.first ?? "")")
        XCTAssertNil(try store.cursor("orders")?.next, "rejected orders are committed past, not re-read forever")
    }

    // MARK: TLS

    func testHTTPSVerifiesAgainstCAFile() throws {
        let authority = try TestCertificateAuthority()
        let server = try FeedServer(["--orders", "20", "--page-size", "10"], tls: authority)
        let feed = try connector("URL=\(server.url())\nFormat=json-object\nCAFile=\(authority.caCertificate)")
        try store.poll(feed)
        XCTAssertEqual(try interactionCount(), 20)
    }

    func testHTTPSWithoutTheCAFailsWithACertificateError() throws {
        let authority = try TestCertificateAuthority()
        let server = try FeedServer(["--orders", "20", "--page-size", "10"], tls: authority)
        let feed = try connector("URL=\(server.url())\nFormat=json-object\nRetryDelay=50ms")
        let error = try XCTUnwrap(pollFailure(feed))
        XCTAssertTrue(error.isPermanent, "a certificate error is not retried")
        XCTAssertTrue(error.message.contains("TLS certificate not accepted"), error.message)
        XCTAssertTrue(error.message.contains("CAFile="), error.message)
        XCTAssertTrue(error.message.contains("curl error 60"), error.message)
        XCTAssertEqual(try server.stat("orders_requests"), 0, "no request went through unverified")
        XCTAssertEqual(try interactionCount(), 0)
    }

    func testARedirectFromHTTPSToPlainHTTPIsRefusedAtOnceSayingSo() throws {
        let authority = try TestCertificateAuthority()
        let server = try FeedServer(["--orders", "20", "--page-size", "10"], tls: authority)
        try server.control("fault?kind=redirect-plain&count=100")
        let feed = try connector("URL=\(server.url())\nFormat=json-object\nCAFile=\(authority.caCertificate)\nRetryDelay=50ms")
        let error = try XCTUnwrap(pollFailure(feed))
        XCTAssertTrue(error.isPermanent, "retrying cannot make the redirect acceptable")
        XCTAssertEqual(try server.stat("orders_requests"), 1, "not retried")
        XCTAssertTrue(error.message.contains("never followed to plain http"), error.message)
        XCTAssertEqual(try interactionCount(), 0)
    }

    // MARK: Credentials

    /// `feed.token` in the test's directory, holding `token`, of mode `mode`.
    private func tokenFile(_ token: String, mode: mode_t = 0o600) throws -> String {
        let path = store.directory + "/feed.token"
        try "\(token)\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, mode)
        return path
    }

    func testBearerTokenFromACredentialFile() throws {
        let token = "s3cret-token-\(UUID().uuidString)"
        let server = try FeedServer(["--orders", "10", "--page-size", "10", "--token", token])
        let path = try tokenFile(token, mode: 0o644)
        let loose = try connector("URL=\(server.url())\nAuth=bearer\nCredential=\(path)\nFormat=json-object")
        let looseError = try XCTUnwrap(pollFailure(loose))
        XCTAssertTrue(looseError.message.contains("chmod 600"), looseError.message)
        XCTAssertFalse(looseError.message.contains(token))
        XCTAssertEqual(try server.stat("orders_requests"), 0)

        chmod(path, 0o600)
        try store.poll(loose)
        XCTAssertEqual(try interactionCount(), 10)
        XCTAssertEqual(try server.stat("unauthorized"), 0)
    }

    func testARefusalAfterARedirectToAnotherServerSaysTheCredentialsWereNotSentThere() throws {
        let token = "s3cret-token-\(UUID().uuidString)"
        let server = try FeedServer(["--orders", "10", "--page-size", "10", "--token", token])
        let path = try tokenFile(token)
        try server.control("fault?kind=redirect-foreign&count=1")
        let feed = try connector("URL=\(server.url())\nAuth=bearer\nCredential=\(path)\nFormat=json-object")
        let error = try XCTUnwrap(pollFailure(feed))
        XCTAssertEqual(try server.stat("unauthorized"), 1, "libcurl did not send the token to the other server")
        XCTAssertTrue(error.message.contains("HTTP 401 from http://localhost:"), error.message)
        XCTAssertTrue(error.message.contains("redirected"), error.message)
        XCTAssertFalse(error.message.contains("check Auth="), error.message)
        XCTAssertFalse(error.message.contains(token))
    }

    func testACredentialPathThatIsASymbolicLinkIsRefusedSayingSo() throws {
        let server = try FeedServer(["--orders", "10", "--page-size", "10", "--token", "t0ken"])
        let file = try tokenFile("t0ken")
        let link = store.directory + "/current.token"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        let feed = try connector("URL=\(server.url())\nAuth=bearer\nCredential=\(link)\nFormat=json-object")
        let error = try XCTUnwrap(pollFailure(feed))
        XCTAssertTrue(error.message.contains("is a symbolic link, which is not followed"), error.message)
        XCTAssertFalse(error.message.contains("check that it exists"), error.message)
        XCTAssertEqual(try server.stat("orders_requests"), 0)
    }

    func testBasicCredentialFromCredentialsDirectoryAndARefusal() throws {
        let server = try FeedServer(["--orders", "10", "--page-size", "10", "--basic", "shop:pa:ss"])
        let credentials = store.directory + "/credentials"
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        try "shop:wrong\n".write(toFile: credentials + "/shop-feed", atomically: true, encoding: .utf8)
        let feed = try connector("URL=\(server.url())\nAuth=basic\nCredential=shop-feed\nFormat=json-object",
                                 environment: ["CREDENTIALS_DIRECTORY": credentials])
        let refused = try XCTUnwrap(pollFailure(feed))
        XCTAssertTrue(refused.isPermanent)
        XCTAssertTrue(refused.message.contains("HTTP 401"), refused.message)
        XCTAssertFalse(refused.message.contains("wrong"))

        // The file is read at every poll: a corrected secret needs no reload.
        try "shop:pa:ss\n".write(toFile: credentials + "/shop-feed", atomically: true, encoding: .utf8)
        try store.poll(feed)
        XCTAssertEqual(try interactionCount(), 10)

        let unset = try connector("URL=\(server.url())\nAuth=basic\nCredential=shop-feed\nFormat=json-object", name: "other")
        XCTAssertTrue(pollFailure(unset)?.message.contains("$CREDENTIALS_DIRECTORY is not set") == true)
    }
}
