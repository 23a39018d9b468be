/// Turns `MatchEvidence` into a score in [0, 1] and the reason people read in conflicts and
/// the journal (`name=0.92, phone=partial`).
///
/// The name carries most of the weight, but a name alone never reaches the review threshold:
/// something else must corroborate it (a phone or e-mail, exact or partial). A contradicting
/// phone pulls the score down hard, because a different phone under the same name is the
/// typical namesake. Precision over recall: a wrong merge is worse than a missed one.
public enum MatchScorer {
    /// The best score a candidate can reach with neither a phone nor an e-mail agreeing: the
    /// same name and the same region (0.72). Below the review threshold, a customer that
    /// shares only a name can never be a candidate, so identity resolution need not look at
    /// the (in a big store, huge) block of everyone with that name.
    public static let bestWithoutContact = score(MatchEvidence(name: 1, region: .exact)).score

    public static func score(_ evidence: MatchEvidence) -> (score: Double, reason: String) {
        guard let name = evidence.name else { return (0, "name=unknown") }
        var corroboration = 0.0
        var penalty = 0.0
        var reasons = [String(format: "name=%.2f", name)]
        switch evidence.phone {
        case .exact?: corroboration = max(corroboration, 1.0); reasons.append("phone=exact")
        case .partial?: corroboration = max(corroboration, 0.8); reasons.append("phone=partial")
        case .different?: penalty += 0.3; reasons.append("phone=different")
        case nil: break
        }
        switch evidence.email {
        case .exact?: corroboration = max(corroboration, 1.0); reasons.append("email=exact")
        case .partial?: corroboration = max(corroboration, 0.7); reasons.append("email=partial")
        case .different?: penalty += 0.15; reasons.append("email=different")
        case nil: break
        }
        switch evidence.region {
        case .exact?: corroboration = max(corroboration, 0.3); reasons.append("region=same")
        case .different?: penalty += 0.1; reasons.append("region=different")
        case .partial?, nil: break
        }
        let score = min(1, max(0, 0.6 * name + 0.4 * corroboration - penalty))
        return (score, reasons.joined(separator: ", "))
    }
}
