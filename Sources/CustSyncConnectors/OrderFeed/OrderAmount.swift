/// An order's total as feeds write it: a JSON number or numeric string ("12.50", "-3", "1e3"),
/// or a string with commas between groups of three digits before the decimal point, as shops
/// print amounts ("1,234.50", "12,000"). A comma anywhere else ("12,50", "1.234,50") is refused:
/// read as a decimal comma or as grouping, it would give amounts a hundred or a thousand apart.
enum OrderAmount {
    static func parse(_ text: String) -> Double? {
        if let number = Double(text) { return number.isFinite ? number : nil }
        guard text.contains(",") else { return nil }
        let signless = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        let parts = signless.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count),
              groups.dropFirst().allSatisfy({ $0.count == 3 }),
              groups.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(\.isASCIIDigit)) else { return nil }
        return Double(text.filter { $0 != "," })
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
