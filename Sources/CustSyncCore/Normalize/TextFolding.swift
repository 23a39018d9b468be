import Foundation

/// Folds free text (addresses, notes, names) into one spelling, so that values typed on a
/// Chinese IME in full-width mode, pasted from a web page or padded by a spreadsheet compare
/// equal to their plain forms.
public enum TextFolding {
    /// Applies, in order:
    /// 1. removal of invisible format characters (zero-width U+200B…U+200D, U+2060, U+FEFF;
    ///    the soft hyphen U+00AD; the bidirectional marks, embeddings and isolates U+061C,
    ///    U+200E, U+200F, U+202A…U+202E, U+2066…U+2069): people cannot see why two values
    ///    differ, and copy-paste from web pages and phones is full of them;
    /// 2. Unicode NFKC: full-width letters, digits and punctuation become ASCII and the
    ///    ideographic space U+3000 and no-break spaces become plain spaces;
    /// 3. collapsing every run of whitespace (including tabs and line breaks) into one space
    ///    and trimming both ends.
    public static func fold(_ s: String) -> String {
        switch work(for: s) {
        case .nothing:
            return s
        case .whitespace:
            // No zero-width characters and already NFKC: only the whitespace needs collapsing.
            return collapseWhitespace(s)
        case .full:
            return collapseWhitespace(nfkc(removingZeroWidth(s)))
        }
    }

    /// What `fold` has to do to a string.
    enum Work: Equatable {
        /// Nothing: only NFKC-stable scalars, and every whitespace is a single inner U+0020.
        case nothing
        /// Only NFKC-stable scalars, but whitespace to trim or collapse.
        case whitespace
        /// Possibly anything: the full path.
        case full
    }

    /// Finds out, in one pass over the scalars, what `fold` has to do to `s`.
    static func work(for s: String) -> Work {
        var folded = true
        var previousWasSpace = true  // so that a leading space counts as "not folded"
        for scalar in s.unicodeScalars {
            guard isNFKCStable(scalar) else { return .full }
            if scalar == " " {
                if previousWasSpace { folded = false }
                previousWasSpace = true
            } else {
                // The only other whitespace among stable scalars is ASCII \t…\r.
                if (0x09...0x0D).contains(scalar.value) { folded = false }
                previousWasSpace = false
            }
        }
        // A trailing space (or nothing but spaces) still needs trimming; "" is folded.
        return folded && (!previousWasSpace || s.isEmpty) ? .nothing : .whitespace
    }

    /// Scalars that NFKC leaves alone in any context: each is its own NFKC form (quick check
    /// "Yes") with combining class 0, and none is the second half of a composition, so a
    /// string made only of them is already NFKC. None of them is a zero-width character.
    /// Covers ASCII, the common CJK ideographs, kana and Hangul syllables.
    static func isNFKCStable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x7F,       // ASCII
             0x3001...0x3002,   // 、。
             0x3041...0x3096,   // Hiragana (not the voicing marks U+3099…U+309C nor ゟ)
             0x30A1...0x30FA,   // Katakana (not the middle dot ・ nor ヿ)
             0x3400...0x4DBF,   // CJK Unified Ideographs Extension A
             0x4E00...0x9FFF,   // CJK Unified Ideographs
             0xAC00...0xD7A3:   // Hangul syllables
            return true
        default:
            return false
        }
    }

    /// Invisible characters that carry no meaning in customer data (see `fold`, step 1).
    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD, 0x061C, 0x200B...0x200F, 0x202A...0x202E, 0x2060, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    static func removingZeroWidth(_ s: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: s.unicodeScalars.lazy.filter { !isZeroWidth($0) })
        return String(scalars)
    }

    static func nfkc(_ s: String) -> String {
        s.precomposedStringWithCompatibilityMapping
    }

    /// Trims and collapses whitespace runs to a single U+0020. Works on scalars so that a
    /// "\r\n" pair (one `Character`) is treated like any other whitespace.
    static func collapseWhitespace(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in s.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }
}
