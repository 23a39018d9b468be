/// Raw messages shared by the mail parser and mapper tests. Lines end in CRLF, as on the wire.
enum MailFixtures {
    static func bytes(_ lines: [String]) -> [UInt8] {
        Array(lines.joined(separator: "\r\n").utf8)
    }

    static let plainUTF8 = bytes([
        "Return-Path: <zw@example.com>",
        "From: \"=?UTF-8?B?5byg5Lyf?=\" <ZW@Example.com>",
        "To: Support <support@shop.example>, =?GBK?B?1cXOsA==?= <sales@shop.example>",
        "Subject: =?UTF-8?B?6K6i5Y2V?=",
        " =?UTF-8?B?6Zeu6aKY?= #12345",
        "Date: Sun, 22 Nov 2026 18:30:00 +0800",
        "Message-ID: <abc.123@example.com>",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "=E6=82=A8=E5=A5=BD=EF=BC=8C",
        "my order   has not arrived.=",
        "",
        "",
    ])

    static let multipartGB18030 = bytes([
        "From: =?GBK?B?1cXOsA==?= <li@example.cn>",
        "To: sales@shop.example",
        "Subject: =?GB2312?B?v827p9fJ0a8=?=",
        "Date: 22 Nov 26 10:30 GMT",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"outer\"",
        "",
        "preamble",
        "--outer",
        "Content-Type: multipart/alternative; boundary=inner",
        "",
        "--inner",
        "Content-Type: text/html; charset=GB18030",
        "Content-Transfer-Encoding: base64",
        "",
        "PGI+aHRtbDwvYj4=",
        "--inner",
        "Content-Type: text/plain; charset=\"GB18030\"",
        "Content-Transfer-Encoding: base64",
        "",
        "xPq6w6OsztLP67Lp0a+2qbWlIDEyMzQ1ILXEzu/B96Gj",
        "--inner--",
        "--outer",
        "Content-Type: text/plain; name=a.txt",
        "Content-Disposition: attachment; filename=a.txt",
        "",
        "attached",
        "--outer--",
        "",
    ])

    static let htmlOnly = bytes([
        "From: chen@example.tw",
        "Subject: =?big5?B?s6+l/aXN?=",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<html><head><style>p {color: red}</style></head><body><p>Hello&nbsp;&amp; <b>welcome</b></p>",
        "<script>alert(1)</script>&#20320;&#x597D;</body></html>",
    ])

    static let brokenHeaders = bytes([
        "From: zw@example.com",
        "This line is not a header",
        "Subject: hi",
        "",
        "body",
    ])

    static let autoReply = bytes([
        "From: zw@example.com",
        "Subject: Out of office",
        "Auto-Submitted: auto-replied",
        "",
        "I am away.",
    ])

    static let bulk = bytes([
        "From: news@example.com",
        "Precedence: bulk",
        "Subject: Newsletter",
        "",
        "News.",
    ])

    static let bounce = bytes([
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>",
        "Subject: Undelivered Mail Returned to Sender",
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b",
        "",
        "--b",
        "Content-Type: text/plain",
        "",
        "could not deliver",
        "--b--",
    ])

    static let reportFromPerson = bytes([
        "From: someone@example.com",
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b",
        "",
        "--b--",
    ])

    static let internalSender = bytes([
        "From: Agent <agent@sales.shop.example>",
        "Subject: Re: order",
        "",
        "done",
    ])

    static let noMessageID = bytes([
        "From: wang@example.com",
        "Subject: no id",
        "Auto-Submitted: no",
        "",
        "hello",
    ])

    static let rawGBKHeader: [UInt8] = Array("From: ".utf8) + [0xD5, 0xC5, 0xCE, 0xB0] + Array(" <zw@example.com>\nSubject: ".utf8)
        + [0xD5, 0xC5, 0xCE, 0xB0] + Array("\n\nbody\n".utf8)
}
