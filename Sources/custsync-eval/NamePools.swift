/// Name pools with rough real-world frequencies, so that namesakes (张伟, 王芳, Anna Müller)
/// occur about as often as they do in a real customer base of this size.
enum NamePools {
    /// Chinese surnames: character(s), pinyin, share in percent (roughly the national figures).
    static let surnames: [(String, String, Double)] = parse("""
        王 wang 7.1, 李 li 7.0, 张 zhang 6.7, 刘 liu 5.4, 陈 chen 4.6, 杨 yang 3.1, 黄 huang 2.4,
        赵 zhao 2.3, 吴 wu 2.0, 周 zhou 1.9, 徐 xu 1.3, 孙 sun 1.2, 马 ma 1.2, 朱 zhu 1.1, 胡 hu 1.0,
        郭 guo 1.0, 何 he 0.9, 高 gao 0.9, 林 lin 0.9, 罗 luo 0.9, 郑 zheng 0.8, 梁 liang 0.8,
        谢 xie 0.6, 宋 song 0.6, 唐 tang 0.5, 许 xu 0.5, 韩 han 0.5, 冯 feng 0.5, 邓 deng 0.5,
        曹 cao 0.5, 彭 peng 0.5, 曾 zeng 0.4, 肖 xiao 0.4, 田 tian 0.4, 董 dong 0.4, 袁 yuan 0.4,
        潘 pan 0.4, 于 yu 0.4, 蒋 jiang 0.4, 蔡 cai 0.4, 余 yu 0.4, 杜 du 0.4, 叶 ye 0.4, 程 cheng 0.3,
        苏 su 0.3, 魏 wei 0.3, 吕 lv 0.3, 丁 ding 0.3, 任 ren 0.3, 沈 shen 0.3, 姚 yao 0.3, 卢 lu 0.3,
        姜 jiang 0.3, 崔 cui 0.3, 钟 zhong 0.3, 谭 tan 0.3, 陆 lu 0.3, 汪 wang 0.3, 范 fan 0.2,
        金 jin 0.2, 石 shi 0.2, 廖 liao 0.2, 贾 jia 0.2, 夏 xia 0.2, 韦 wei 0.2, 付 fu 0.2, 方 fang 0.2,
        白 bai 0.2, 邹 zou 0.2, 孟 meng 0.2, 熊 xiong 0.2, 秦 qin 0.2, 邱 qiu 0.2, 江 jiang 0.2,
        尹 yin 0.2, 薛 xue 0.2, 闫 yan 0.2, 段 duan 0.2, 雷 lei 0.2, 侯 hou 0.2, 龙 long 0.2, 史 shi 0.2,
        陶 tao 0.1, 黎 li 0.1, 贺 he 0.1, 顾 gu 0.1, 毛 mao 0.1, 郝 hao 0.1, 龚 gong 0.1, 邵 shao 0.1,
        万 wan 0.1, 钱 qian 0.1, 严 yan 0.1, 覃 qin 0.1, 武 wu 0.1, 戴 dai 0.1, 莫 mo 0.1, 孔 kong 0.1,
        向 xiang 0.1, 汤 tang 0.1, 欧阳 ouyang 0.05, 司马 sima 0.02, 上官 shangguan 0.02, 诸葛 zhuge 0.02
        """)

    /// Characters of given names: character, pinyin, relative weight (Zipf-like: the first are
    /// the ones every class has three of).
    static let givenCharacters: [(String, String, Double)] = parse("""
        伟 wei 30, 芳 fang 25, 娜 na 22, 敏 min 22, 静 jing 21, 丽 li 20, 强 qiang 19, 磊 lei 18,
        军 jun 18, 洋 yang 17, 勇 yong 16, 艳 yan 16, 杰 jie 15, 娟 juan 15, 涛 tao 14, 明 ming 14,
        超 chao 13, 霞 xia 13, 平 ping 12, 刚 gang 12, 辉 hui 12, 玲 ling 11, 桂 gui 11, 英 ying 11,
        华 hua 11, 建 jian 11, 国 guo 10, 文 wen 10, 红 hong 10, 秀 xiu 10, 兰 lan 9, 志 zhi 9,
        斌 bin 9, 鹏 peng 9, 宇 yu 9, 浩 hao 9, 凯 kai 8, 俊 jun 8, 帅 shuai 8, 欣 xin 8, 婷 ting 8,
        雪 xue 8, 晶 jing 8, 颖 ying 8, 琳 lin 7, 倩 qian 7, 慧 hui 7, 佳 jia 7, 怡 yi 7, 梅 mei 7,
        莉 li 7, 燕 yan 7, 萍 ping 7, 鑫 xin 6, 波 bo 6, 亮 liang 6, 林 lin 6, 峰 feng 6, 晨 chen 6,
        博 bo 6, 阳 yang 6, 子 zi 6, 梓 zi 5, 涵 han 5, 轩 xuan 5, 睿 rui 5, 思 si 5, 雨 yu 5,
        家 jia 5, 晓 xiao 5, 东 dong 5, 海 hai 5, 春 chun 5, 云 yun 5, 龙 long 5, 飞 fei 5, 丹 dan 5,
        琴 qin 4, 彬 bin 4, 旭 xu 4, 毅 yi 4, 泽 ze 4, 嘉 jia 4, 一 yi 4, 诗 shi 4, 紫 zi 4, 瑶 yao 4,
        宁 ning 4, 天 tian 4, 成 cheng 4, 金 jin 4, 玉 yu 4, 珍 zhen 4, 凤 feng 4, 秋 qiu 3, 月 yue 3,
        荣 rong 3, 庆 qing 3, 德 de 3, 永 yong 3, 光 guang 3, 立 li 3, 新 xin 3, 小 xiao 3, 振 zhen 3,
        健 jian 3, 昊 hao 3, 然 ran 3, 媛 yuan 3, 蕾 lei 3, 薇 wei 3, 洁 jie 3, 露 lu 3, 岩 yan 3,
        松 song 3, 坤 kun 3, 晴 qing 3, 璐 lu 3, 琪 qi 3, 悦 yue 3, 可 ke 3, 馨 xin 3, 茜 qian 2,
        清 qing 2, 婉 wan 2, 雯 wen 2, 鹤 he 2, 骏 jun 2, 腾 teng 2, 楠 nan 2, 昕 xin 2, 曦 xi 2
        """)

    /// Characters that are easily misread or mis-picked for another that looks alike.
    static let lookalikes: [String: String] = [
        "王": "玉", "玉": "王", "李": "季", "陈": "阵", "杨": "扬", "田": "由", "于": "干", "白": "自",
        "史": "吏", "方": "万", "军": "车", "辉": "挥", "娟": "涓", "婷": "停", "晶": "品", "玲": "铃",
        "晴": "睛", "俊": "竣", "峰": "锋", "宇": "字", "梅": "悔", "英": "荚", "平": "乎", "国": "固",
        "文": "丈", "波": "坡", "博": "傅", "天": "夭", "子": "孑", "金": "全", "明": "朋", "清": "请",
        "洋": "详", "浩": "皓", "丽": "郦", "勇": "甬", "林": "材", "东": "乐", "春": "舂", "成": "戍",
    ]

    static let westernFirst: [(String, Double)] = [
        ("Anna", 5), ("Thomas", 5), ("Maria", 5), ("Peter", 4), ("Michael", 5), ("Julia", 4), ("Lukas", 3),
        ("Sophie", 3), ("Jan", 3), ("Laura", 3), ("David", 4), ("Sarah", 4), ("James", 4), ("Emma", 3),
        ("Oliver", 3), ("José", 2), ("François", 2), ("Søren", 1), ("Zoë", 1), ("Chloé", 2), ("Björn", 1),
        ("Jürgen", 2), ("Renée", 1), ("André", 2), ("Ingrid", 1), ("Hannah", 3), ("Daniel", 4),
        ("Martin", 4), ("Elena", 3), ("Marco", 3), ("Katharina", 2), ("Robert", 3), ("Olga", 2),
        ("Ivan", 2), ("Yuki", 1), ("Mohammed", 2), ("Fatima", 1), ("Liam", 2), ("Noah", 2), ("Mia", 2),
    ]

    static let westernLast: [(String, Double)] = [
        ("Müller", 5), ("Schmidt", 4), ("Schneider", 3), ("Fischer", 3), ("Weber", 3), ("Meyer", 3),
        ("Wagner", 2), ("Becker", 2), ("Smith", 5), ("Johnson", 4), ("Brown", 3), ("Williams", 3),
        ("Jones", 3), ("Miller", 3), ("Davis", 2), ("García", 3), ("Martínez", 2), ("López", 2),
        ("Rossi", 2), ("Russo", 1), ("Dupont", 1), ("Lefèvre", 1), ("O'Brien", 1), ("Nguyen", 2),
        ("Kim", 2), ("Park", 1), ("Novák", 1), ("Kowalski", 1), ("Jensen", 1), ("Andersson", 1),
        ("Søndergaard", 1), ("Dubois", 1), ("Petrov", 1), ("Tanaka", 1), ("Schäfer", 1), ("Köhler", 1),
        ("Hoffmann", 2), ("Koch", 1), ("Richter", 1), ("Wolf", 1),
    ]

    static let companyDomains = ["huawei.com", "alibaba-inc.com", "tencent.com", "example.com.cn",
                                 "sinopec.com", "bank-of-shanghai.cn", "zte.com.cn", "midea.com"]

    /// `(domain, weight)`; qq.com addresses are usually the QQ number.
    static let mailDomains: [(String, Double)] = [
        ("qq.com", 28), ("163.com", 20), ("126.com", 9), ("gmail.com", 10), ("outlook.com", 7),
        ("sina.com", 5), ("foxmail.com", 5), ("hotmail.com", 5), ("yahoo.com", 3), ("139.com", 4),
        ("sohu.com", 2), ("aliyun.com", 2),
    ]

    static let mobilePrefixes = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
                                 "150", "151", "152", "153", "155", "156", "157", "158", "159", "166",
                                 "170", "171", "173", "175", "176", "177", "178", "180", "181", "182",
                                 "183", "184", "185", "186", "187", "188", "189", "191", "198", "199"]

    /// Area codes (without the trunk 0) and the subscriber number length.
    static let areaCodes: [(String, Int)] = [
        ("10", 8), ("21", 8), ("20", 8), ("755", 8), ("571", 8), ("28", 8), ("27", 8), ("25", 8),
        ("29", 8), ("23", 8), ("512", 8), ("532", 8), ("731", 8), ("371", 8), ("591", 8), ("851", 7),
    ]

    private static func parse(_ text: String) -> [(String, String, Double)] {
        text.split(separator: ",").map { entry in
            let parts = entry.split(whereSeparator: { $0.isWhitespace })
            return (String(parts[0]), String(parts[1]), Double(parts[2]) ?? 1)
        }
    }
}
