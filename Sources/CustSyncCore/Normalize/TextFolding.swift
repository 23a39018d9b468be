import Foundation

/// Folds free text (addresses, notes, names) into one spelling, so that values typed on a
/// Chinese IME in full-width mode, pasted from a web page or padded by a spreadsheet compare
/// equal to their plain forms.
public enum TextFolding {
    /// Applies, in order:
    /// 1. removal of zero-width characters (U+200B…U+200D, U+2060, U+FEFF): they are invisible,
    ///    so people cannot see why two values differ, and web copy-paste is full of them;
    /// 2. Unicode NFKC: full-width letters, digits and punctuation become ASCII and the
    ///    ideographic space U+3000 and no-break spaces become plain spaces;
    /// 3. collapsing every run of whitespace (including tabs and line breaks) into one space
    ///    and trimming both ends.
    public static func fold(_ s: String) -> String {
        collapseWhitespace(nfkc(removingZeroWidth(s)))
    }

    /// Zero-width characters that carry no meaning in customer data.
    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B...0x200D, 0x2060, 0xFEFF: return true
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
