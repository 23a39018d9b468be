import CustSyncCore
import XCTest

final class CharsetFitTests: XCTestCase {
    private func fit(_ bytes: [UInt8], chunk: Int = 7) -> CharsetFit {
        var fit = CharsetFit()
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            bytes[start..<end].withUnsafeBytes { fit.feed($0) }
            start = end
        }
        fit.finish()
        return fit
    }

    func testGB18030TextFitsGB18030AndBreaksUTF8() {
        // 张伟,咨询 in GB18030; 𠀀 (U+20000) is the four-byte 95 32 82 36.
        let gb: [UInt8] = [0xD5, 0xC5, 0xCE, 0xB0, 0x2C, 0xD7, 0xC9, 0xD1, 0xAF, 0x2C, 0x95, 0x32, 0x82, 0x36, 0x0A]
        let result = fit(gb)
        XCTAssertEqual(result.invalidGB18030, 0)
        XCTAssertGreaterThan(result.invalidUTF8, 2)
    }

    func testUTF8TextWithOneLatin1ByteFitsUTF8Better() {
        let text = Array("张伟,咨询会员积分,已接通\n王芳,修改收货地址,已接通 caf".utf8) + [0xE9, 0x0A]
        let result = fit(text)
        XCTAssertEqual(result.invalidUTF8, 1)
        XCTAssertGreaterThan(result.invalidGB18030, 1)
    }

    func testSequencesCutOffByTheEndCount() {
        XCTAssertEqual(fit([0x41, 0xE4, 0xB8]).invalidUTF8, 1)
        XCTAssertEqual(fit([0x41, 0x95, 0x32]).invalidGB18030, 1)
        XCTAssertEqual(fit([0x80, 0xFF]).invalidGB18030, 2)
    }
}
