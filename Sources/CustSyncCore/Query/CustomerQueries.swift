import Foundation

/// Read-side queries about customers, on a read-only connection (`StoreReader.connection`).
/// Everything returned is unmasked; callers mask for the caller's role.
public struct CustomerQueries {
    public let connection: SQLiteConnection

    public init(connection: SQLiteConnection) {
        self.connection = connection
    }

    // MARK: finding one customer

    /// The live customer that `text` names: a customer code (a merged code resolves to its
    /// survivor), an e-mail address or a phone number in any spelling the engine normalizes.
    ///
    /// - Returns: the code, and the merged code asked for when it was followed.
    /// - Throws: `ControlFailure` (not found: exit 5; several customers share the identifier: exit 1).
    /// Finds a customer by code (a merged code resolves to its survivor), e-mail or phone. With
    /// `codeRule` given, a code-shaped text whose check digit is wrong is rejected as mistyped.
    public func resolve(_ text: String, identity: IdentitySettings, codeRule: CustomerCodeRule? = nil) throws -> (code: String, mergedFrom: String?) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let code = try connection.statement("SELECT code FROM customers WHERE code = ?").firstString([trimmed]) {
            let survivor = try survivor(of: code)
            return (survivor, survivor == code ? nil : code)
        }
        if let rule = codeRule, rule.hasCheckDigit, rule.looksLikeCode(trimmed), !CustomerCodeRule.checkDigitIsValid(trimmed) {
            throw ControlFailure.notFound("\"\(trimmed)\" is not a valid customer code: its check digit does not match, so a digit is probably mistyped; check the code and try again")
        }
        var codes: [String] = []
        var what = ""
        if trimmed.contains("@"),
           let email = try? EmailAddress(parsing: trimmed, ignoreDotsDomains: Set(identity.emailIgnoreDotsDomains),
                                         stripPlusTagDomains: Set(identity.emailStripPlusTagDomains)) {
            what = "e-mail address"
            codes = try identifierOwners(kind: "email", value: email.normalized)
        } else if let phone = try? PhoneNumber(parsing: trimmed, defaultRegion: identity.defaultRegion) {
            what = "phone number"
            codes = try identifierOwners(kind: "phone", value: phone.e164)
        } else {
            throw ControlFailure.notFound("no customer \"\(text)\": not a customer code, e-mail address or phone number in the store")
        }
        switch codes.count {
        case 0: throw ControlFailure.notFound("no customer has the \(what) \"\(text)\"")
        case 1: return (codes[0], nil)
        default:
            throw ControlFailure("the \(what) \"\(text)\" belongs to \(codes.count) customers (\(codes.joined(separator: ", "))); show one by its code")
        }
    }

    /// Live customers holding an identifier, merged holders replaced by their survivors.
    private func identifierOwners(kind: String, value: String) throws -> [String] {
        let holders = try connection.statement("SELECT customer_code FROM identifiers WHERE kind = ? AND value = ? ORDER BY customer_code")
            .strings([kind, value])
        var result: [String] = []
        for holder in holders {
            let code = try survivor(of: holder)
            if !result.contains(code) { result.append(code) }
        }
        return result
    }

    /// Follows `merged_into` to the live customer (at most 16 steps, so a cycle cannot hang a reader).
    public func survivor(of code: String) throws -> String {
        var current = code
        for _ in 0..<16 {
            guard let next = try connection.statement("SELECT merged_into FROM customers WHERE code = ?").firstString([current]) else {
                return current
            }
            current = next
        }
        throw StoreError.inconsistent("merged_into of \(code) forms a chain longer than 16 or a cycle")
    }

    // MARK: one customer in full

    /// Everything the store holds about `code`, or nil when there is no such customer.
    public func view(code: String, interactionLimit: Int = 10) throws -> CustomerView? {
        guard let row = try connection.statement("""
            SELECT code, stage, tier, created_at, updated_at, version, rfm_r, rfm_f, rfm_m FROM customers WHERE code = ?
            """).first([code]) else { return nil }
        var view = CustomerView(code: row.string(0) ?? code, stage: row.string(1) ?? "potential",
                                createdAt: row.date(3) ?? Date(timeIntervalSince1970: 0),
                                updatedAt: row.date(4) ?? Date(timeIntervalSince1970: 0), version: row.int(5) ?? 0)
        view.tier = row.string(2)
        if let r = row.int(6), let f = row.int(7), let m = row.int(8) { view.rfm = RFMScore(r: Int(r), f: Int(f), m: Int(m)) }
        view.aliases = try connection.statement("SELECT code FROM customers WHERE merged_into = ? ORDER BY code").strings([code])
        // A merge leaves the absorbed customers' identifiers and interactions filed under their
        // own codes (so that a split can give them back); they show under the survivor.
        let members: [SQLBindable] = [code] + view.aliases
        let memberList = Array(repeating: "?", count: members.count).joined(separator: ", ")
        // Every canonical field is a column of `customers` (the engine writes them by name).
        let fields = CanonicalField.allCases
        let current = try connection.statement(
            "SELECT " + fields.map(\.rawValue).joined(separator: ", ") + " FROM customers WHERE code = ?"
        ).first([code])

        var provenance: [String: Row] = [:]
        for chosen in try connection.statement("""
            SELECT field, source, chosen_by, observed_at FROM field_values
            WHERE customer_code = ? AND chosen_by IS NOT NULL ORDER BY field, recorded_at DESC
            """).rows([code]) {
            if let field = chosen.string(0), provenance[field] == nil { provenance[field] = chosen }
        }
        for (index, field) in fields.enumerated() {
            guard let value = current?.string(index) else { continue }
            let chosen = provenance[field.rawValue]
            view.fields.append(.init(field: field.rawValue, value: value, source: chosen?.string(1),
                                     rule: chosen?.string(2), observedAt: chosen?.date(3)))
        }

        view.identifiers = try connection.statement("""
            SELECT kind, value, min(source), min(first_seen) FROM identifiers WHERE customer_code IN (\(memberList))
            GROUP BY kind, value ORDER BY kind, min(first_seen), value
            """).rows(members).map {
            .init(kind: $0.string(0) ?? "", value: $0.string(1) ?? "", source: $0.string(2) ?? "",
                  firstSeen: $0.date(3) ?? Date(timeIntervalSince1970: 0))
        }
        view.tags = try connection.statement("SELECT tag FROM tags WHERE customer_code = ? ORDER BY tag").strings([code])
        view.interactionCount = try connection.scalarInt("SELECT count(*) FROM interactions WHERE customer_code IN (\(memberList))",
                                                         members) ?? 0
        view.interactions = try connection.statement("""
            SELECT kind, source, source_key, occurred_at, summary, status, amount, currency FROM interactions
            WHERE customer_code IN (\(memberList)) ORDER BY occurred_at DESC, id DESC LIMIT ?
            """).rows(members + [interactionLimit]).map {
            .init(kind: $0.string(0) ?? "", source: $0.string(1) ?? "", key: $0.string(2) ?? "",
                  occurredAt: $0.date(3) ?? Date(timeIntervalSince1970: 0), summary: $0.string(4),
                  status: $0.string(5), amount: $0.double(6), currency: $0.string(7))
        }
        view.openConflicts = try ConflictQueries(connection: connection).list(status: "open", customer: code, limit: 100).conflicts
        return view
    }

    // MARK: lists

    /// Customers matching `filter`, ordered by code, at most `filter.limit`; `more` when
    /// further rows match.
    ///
    /// - Parameter substringOnPersonalData: whether the text also matches e-mail, phone and
    ///   address by substring (admins only: for a masked caller it would reveal them piece by piece).
    public func search(_ filter: CustomerFilter, identity: IdentitySettings,
                       substringOnPersonalData: Bool) throws -> (customers: [CustomerSummary], more: Bool) {
        var conditions: [String] = []
        var values: [SQLBindable] = []
        if !filter.includeMerged { conditions.append("merged_into IS NULL") }
        for (column, value) in [("stage", filter.stage), ("tier", filter.tier), ("region", filter.region)] {
            if let value { conditions.append("\(column) = ?"); values.append(value) }
        }
        if let tag = filter.tag {
            conditions.append("code IN (SELECT customer_code FROM tags WHERE tag = ?)")
            values.append(tag)
        }
        if let source = filter.source {
            conditions.append("code IN (SELECT customer_code FROM field_values WHERE source = ? UNION SELECT customer_code FROM identifiers WHERE source = ?)")
            values += [source, source]
        }
        if let after = filter.after {
            conditions.append("code > ?")
            values.append(after)
        }
        if let text = filter.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let pattern = "%" + Self.escapeLike(text) + "%"
            var alternatives = ["code LIKE ? ESCAPE '\\'", "name LIKE ? ESCAPE '\\'", "company LIKE ? ESCAPE '\\'"]
            values += [pattern, pattern, pattern]
            if substringOnPersonalData {
                alternatives += ["email LIKE ? ESCAPE '\\'", "phone LIKE ? ESCAPE '\\'", "address LIKE ? ESCAPE '\\'"]
                values += [pattern, pattern, pattern]
            }
            if let email = try? EmailAddress(parsing: text, ignoreDotsDomains: Set(identity.emailIgnoreDotsDomains),
                                             stripPlusTagDomains: Set(identity.emailStripPlusTagDomains)) {
                alternatives.append("code IN (SELECT customer_code FROM identifiers WHERE kind = 'email' AND value = ?)")
                values.append(email.normalized)
            }
            if text.contains(where: \.isNumber), let phone = try? PhoneNumber(parsing: text, defaultRegion: identity.defaultRegion) {
                alternatives.append("code IN (SELECT customer_code FROM identifiers WHERE kind = 'phone' AND value = ?)")
                values.append(phone.e164)
            }
            conditions.append("(" + alternatives.joined(separator: " OR ") + ")")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try connection.statement("""
            SELECT code, name, email, phone, company, region, customer_type, stage, tier, updated_at, merged_into
            FROM customers \(whereClause) ORDER BY code LIMIT ?
            """).rows(values + [filter.limit + 1])
        let customers = rows.prefix(filter.limit).map { row -> CustomerSummary in
            var summary = CustomerSummary(code: row.string(0) ?? "", stage: row.string(7) ?? "potential",
                                          updatedAt: row.date(9) ?? Date(timeIntervalSince1970: 0))
            summary.name = row.string(1)
            summary.email = row.string(2)
            summary.phone = row.string(3)
            summary.company = row.string(4)
            summary.region = row.string(5)
            summary.customerType = row.string(6)
            summary.tier = row.string(8)
            summary.mergedInto = row.string(10)
            return summary
        }
        return (customers, rows.count > filter.limit)
    }

    /// Calls `body` for every customer (live ones, or all with `includeMerged`), in code order,
    /// without collecting them: an export of a million customers runs in constant memory.
    public func export(includeMerged: Bool, _ body: (ExportRecord) throws -> Void) throws {
        let statement = try connection.statement("""
            SELECT c.code, c.name, c.email, c.phone, c.address, c.company, c.region, c.customer_type, c.stage, c.tier,
                   c.created_at, c.updated_at, c.version, c.merged_into,
                   (SELECT group_concat(kind || ':' || value, char(10)) FROM
                       (SELECT DISTINCT kind, value FROM identifiers
                        WHERE customer_code = c.code OR customer_code IN (SELECT code FROM customers WHERE merged_into = c.code)
                        ORDER BY kind, value)),
                   (SELECT group_concat(tag, char(10)) FROM (SELECT tag FROM tags WHERE customer_code = c.code ORDER BY tag))
            FROM customers c WHERE ? OR c.merged_into IS NULL ORDER BY c.code
            """)
        try connection.execute("BEGIN")
        defer { try? connection.execute("COMMIT") }
        try statement.forEach([includeMerged ? 1 : 0]) { row in
            var record = ExportRecord(code: row.string(0) ?? "", stage: row.string(8) ?? "potential",
                                      createdAt: row.date(10) ?? Date(timeIntervalSince1970: 0),
                                      updatedAt: row.date(11) ?? Date(timeIntervalSince1970: 0), version: row.int(12) ?? 0)
            record.name = row.string(1)
            record.email = row.string(2)
            record.phone = row.string(3)
            record.address = row.string(4)
            record.company = row.string(5)
            record.region = row.string(6)
            record.customerType = row.string(7)
            record.tier = row.string(9)
            record.mergedInto = row.string(13)
            record.identifiers = (row.string(14) ?? "").split(separator: "\n").compactMap { item in
                guard let colon = item.firstIndex(of: ":") else { return nil }
                return .init(kind: String(item[..<colon]), value: String(item[item.index(after: colon)...]))
            }
            record.tags = (row.string(15) ?? "").split(separator: "\n").map(String.init)
            try body(record)
        }
    }

    static func escapeLike(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
