import CustSyncCore
import Foundation

/// Customers for people: `customer show` and the `customers` list.
enum CustomerText {
    static func render(_ view: CustomerView, now: Date = Date()) -> String {
        var lines: [String] = []
        var title = Output.bold(view.code)
        if let from = view.mergedFrom { title += "  (\(from) was merged into it)" }
        lines.append(title)
        lines.append("stage \(view.stage), tier \(view.tier ?? "—"), "
                     + (view.rfm.map { "RFM \($0.r)-\($0.f)-\($0.m)" } ?? "no RFM (no orders)"))
        lines.append("version \(view.version), "
                     + "created \(Output.relative(view.createdAt, now: now)), updated \(Output.relative(view.updatedAt, now: now))")
        if !view.aliases.isEmpty { lines.append(Output.truncate("aliases: " + view.aliases.joined(separator: ", "), Output.width)) }
        if !view.tags.isEmpty { lines.append(Output.truncate("tags: " + view.tags.joined(separator: ", "), Output.width)) }
        lines.append("")
        lines.append(Output.table(["FIELD", "VALUE", "SOURCE", "RULE", "OBSERVED"],
                                  view.fields.map { [$0.field, $0.value, $0.source ?? "—", $0.rule ?? "—",
                                                     Output.relative($0.observedAt, now: now)] },
                                  flexible: [1, 2]))
        lines.append("")
        if view.identifiers.isEmpty {
            lines.append("identifiers: none")
        } else {
            lines.append("identifiers:")
            lines.append(indent(Output.table(["KIND", "VALUE", "SOURCE", "FIRST SEEN"],
                                             view.identifiers.map { [$0.kind, $0.value, $0.source, Output.relative($0.firstSeen, now: now)] },
                                             flexible: [1, 2], width: Output.width - 2)))
        }
        lines.append("")
        if view.interactions.isEmpty {
            lines.append("interactions: none")
        } else {
            lines.append("interactions (\(view.interactions.count) newest of \(view.interactionCount)):")
            lines.append(indent(Output.table(["WHEN", "KIND", "SOURCE", "STATUS", "AMOUNT", "SUMMARY"],
                                             view.interactions.map { interaction in
                                                 [Output.localTime(interaction.occurredAt), interaction.kind, interaction.source,
                                                  interaction.status ?? "", amount(interaction), interaction.summary ?? interaction.key]
                                             }, flexible: [2, 5], width: Output.width - 2)))
        }
        lines.append("")
        if view.openConflicts.isEmpty {
            lines.append("open conflicts: none")
        } else {
            lines.append("open conflicts:")
            lines.append(indent(Output.table(["ID", "KIND", "FIELD/OTHER", "REASON"],
                                             view.openConflicts.map { [String($0.id), $0.kind, $0.field ?? $0.other ?? "", $0.reason] },
                                             flexible: [3], width: Output.width - 2)))
        }
        if view.masked { lines += ["", "(e-mail addresses, phone numbers and addresses are masked for your role)"] }
        return lines.joined(separator: "\n")
    }

    static func list(_ list: CustomerList) -> String {
        guard !list.customers.isEmpty else { return "no customers match" }
        var text = Output.table(["CODE", "NAME", "PHONE", "EMAIL", "STAGE", "TIER"],
                                list.customers.map { c in
                                    [c.code + (c.mergedInto.map { " → \($0)" } ?? ""), c.name ?? "", c.phone ?? "", c.email ?? "",
                                     c.stage, c.tier ?? ""]
                                }, flexible: [1, 3])
        if list.more { text += "\n(more: --after \(list.customers.last?.code ?? ""))" }
        return text
    }

    private static func amount(_ interaction: CustomerView.InteractionSummary) -> String {
        guard let amount = interaction.amount else { return "" }
        return String(format: "%.2f", amount) + (interaction.currency.map { " \($0)" } ?? "")
    }

    private static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}
