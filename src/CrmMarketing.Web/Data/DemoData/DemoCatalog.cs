namespace CrmMarketing.Web.Data.DemoData;

internal enum PostalStyle
{
    /// <summary>Chinese six-digit code: a four-digit city prefix and two digits.</summary>
    China,

    /// <summary>US ZIP code: a three-digit prefix and two digits.</summary>
    UnitedStates,

    /// <summary>UK postcode: an outward code from the list, then digit and two letters.</summary>
    UnitedKingdom,
}

internal sealed record DemoCity(
    string Name,
    string Region,
    string Country,
    double Weight,
    int UtcOffsetHours,
    PostalStyle PostalStyle,
    string[] PostalPrefixes,
    string? AreaCode = null);

internal sealed record DemoProductSpec(string Sku, string Name, string Category, decimal ListPrice);

internal sealed record DemoName(string Text, string Latin);

internal sealed record DemoAccount(string Email, string Role, string DisplayName);

/// <summary>The fixed vocabulary of the demo data set in one locale: places, products, names and texts.</summary>
internal sealed class DemoCatalog
{
    public const string ChineseLocale = "zh_CN";
    public const string EnglishLocale = "en";

    public required string Locale { get; init; }
    public required IReadOnlyList<DemoCity> Cities { get; init; }
    public required IReadOnlyList<DemoProductSpec> Products { get; init; }
    public required IReadOnlyList<string> EmailDomains { get; init; }
    public required IReadOnlyList<string> Streets { get; init; }
    public required IReadOnlyList<string> SearchTerms { get; init; }
    public required IReadOnlyList<string> Campaigns { get; init; }
    public required IReadOnlyList<string> StoreSuffixes { get; init; }
    public required IReadOnlyList<string> NoteTemplates { get; init; }
    public required IReadOnlyList<string> Coupons { get; init; }
    public required string PeakCoupon { get; init; }
    public required IReadOnlyList<DemoAccount> Accounts { get; init; }

    public bool IsChinese => Locale == ChineseLocale;

    public static DemoCatalog For(string locale) => locale == EnglishLocale ? English : Chinese;

    public static readonly IReadOnlyList<string> Sources =
        ["Online ads", "Search", "Referral", "Store walk-in", "Social media", "Event", "Partner"];

    public static readonly IReadOnlyList<double> SourceWeights = [18, 20, 14, 22, 16, 5, 5];

    public static readonly IReadOnlyList<string> Tags =
        ["vip", "wholesale", "newsletter", "student", "family", "pet-owner", "early-adopter", "corporate", "bargain-hunter", "gift-buyer"];

    // Surnames roughly in order of frequency; the generator favours the front of the list.
    public static readonly IReadOnlyList<DemoName> ChineseSurnames =
    [
        new("王", "wang"), new("李", "li"), new("张", "zhang"), new("刘", "liu"), new("陈", "chen"),
        new("杨", "yang"), new("黄", "huang"), new("赵", "zhao"), new("吴", "wu"), new("周", "zhou"),
        new("徐", "xu"), new("孙", "sun"), new("马", "ma"), new("朱", "zhu"), new("胡", "hu"),
        new("郭", "guo"), new("何", "he"), new("高", "gao"), new("林", "lin"), new("罗", "luo"),
        new("郑", "zheng"), new("梁", "liang"), new("谢", "xie"), new("宋", "song"), new("唐", "tang"),
        new("许", "xu"), new("韩", "han"), new("冯", "feng"), new("邓", "deng"), new("曹", "cao"),
        new("彭", "peng"), new("曾", "zeng"), new("肖", "xiao"), new("田", "tian"), new("董", "dong"),
        new("袁", "yuan"), new("潘", "pan"), new("于", "yu"), new("蒋", "jiang"), new("蔡", "cai"),
        new("余", "yu"), new("杜", "du"), new("叶", "ye"), new("程", "cheng"), new("苏", "su"),
        new("魏", "wei"), new("吕", "lv"), new("丁", "ding"), new("任", "ren"), new("沈", "shen"),
        new("姚", "yao"), new("卢", "lu"), new("姜", "jiang"), new("崔", "cui"), new("钟", "zhong"),
        new("谭", "tan"), new("陆", "lu"), new("汪", "wang"), new("范", "fan"), new("金", "jin"),
        new("欧阳", "ouyang"), new("上官", "shangguan"),
    ];

    public static readonly IReadOnlyList<DemoName> ChineseFemaleGivenNames =
    [
        new("芳", "fang"), new("娜", "na"), new("秀英", "xiuying"), new("敏", "min"), new("静", "jing"),
        new("丽", "li"), new("艳", "yan"), new("娟", "juan"), new("霞", "xia"), new("婷", "ting"),
        new("雪", "xue"), new("玲", "ling"), new("慧", "hui"), new("颖", "ying"), new("欣怡", "xinyi"),
        new("梓涵", "zihan"), new("诗涵", "shihan"), new("雨涵", "yuhan"), new("佳怡", "jiayi"), new("思琪", "siqi"),
        new("晓燕", "xiaoyan"), new("丽娟", "lijuan"), new("美玲", "meiling"), new("婉清", "wanqing"), new("雅琴", "yaqin"),
        new("子萱", "zixuan"), new("一诺", "yinuo"), new("可馨", "kexin"), new("心怡", "xinyi"), new("梦瑶", "mengyao"),
        new("晓彤", "xiaotong"), new("嘉欣", "jiaxin"), new("淑华", "shuhua"), new("桂芳", "guifang"), new("海燕", "haiyan"),
        new("春梅", "chunmei"), new("秀兰", "xiulan"), new("文静", "wenjing"), new("雨桐", "yutong"), new("若曦", "ruoxi"),
    ];

    public static readonly IReadOnlyList<DemoName> ChineseMaleGivenNames =
    [
        new("伟", "wei"), new("强", "qiang"), new("磊", "lei"), new("军", "jun"), new("洋", "yang"),
        new("勇", "yong"), new("杰", "jie"), new("涛", "tao"), new("明", "ming"), new("超", "chao"),
        new("刚", "gang"), new("平", "ping"), new("辉", "hui"), new("鹏", "peng"), new("浩然", "haoran"),
        new("子轩", "zixuan"), new("宇航", "yuhang"), new("俊杰", "junjie"), new("志强", "zhiqiang"), new("建华", "jianhua"),
        new("国强", "guoqiang"), new("文博", "wenbo"), new("天宇", "tianyu"), new("皓轩", "haoxuan"), new("梓豪", "zihao"),
        new("博文", "bowen"), new("建国", "jianguo"), new("晓东", "xiaodong"), new("海涛", "haitao"), new("宏伟", "hongwei"),
        new("家豪", "jiahao"), new("俊熙", "junxi"), new("一鸣", "yiming"), new("振宇", "zhenyu"), new("思远", "siyuan"),
        new("明轩", "mingxuan"), new("立新", "lixin"), new("德华", "dehua"), new("永强", "yongqiang"), new("鑫", "xin"),
    ];

    // Mobile number blocks of the three Chinese carriers.
    public static readonly IReadOnlyList<string> ChineseMobilePrefixes =
    [
        "130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
        "150", "151", "152", "153", "155", "156", "157", "158", "159",
        "166", "173", "175", "176", "177", "178",
        "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
        "191", "198", "199",
    ];

    public static readonly IReadOnlyList<string> UkMobilePrefixes = ["74", "75", "77", "78", "79"];

    private static readonly (string Code, string Zh, string En, (string Zh, string En, decimal Price)[] Items)[] ProductTable =
    [
        ("APP", "服装", "Apparel",
        [
            ("纯棉圆领T恤", "Cotton crew-neck T-shirt", 89m), ("修身牛仔裤", "Slim-fit jeans", 299m),
            ("羊毛针织开衫", "Wool knit cardigan", 459m), ("轻薄羽绒服", "Lightweight down jacket", 699m),
            ("真丝连衣裙", "Silk dress", 899m), ("商务衬衫", "Business shirt", 259m),
            ("休闲卫衣", "Casual hoodie", 199m), ("防风夹克", "Windbreaker jacket", 389m),
        ]),
        ("SHO", "鞋履", "Footwear",
        [
            ("缓震跑步鞋", "Cushioned running shoes", 569m), ("真皮乐福鞋", "Leather loafers", 799m),
            ("经典帆布鞋", "Classic canvas sneakers", 159m), ("冬季雪地靴", "Winter snow boots", 429m),
            ("居家拖鞋", "Home slippers", 49.9m), ("优雅高跟鞋", "Classic high heels", 499m),
            ("儿童运动鞋", "Kids' sneakers", 239m),
        ]),
        ("BEA", "美妆护肤", "Beauty",
        [
            ("保湿面霜", "Moisturising cream", 268m), ("修护精华液", "Repair serum", 458m),
            ("防晒霜 SPF50", "Sunscreen SPF50", 129m), ("丝绒口红", "Velvet lipstick", 220m),
            ("氨基酸洁面乳", "Gentle facial cleanser", 89m), ("补水面膜（10片装）", "Hydrating sheet masks (10 pack)", 99m),
            ("花香香水", "Floral eau de parfum", 760m), ("护手霜", "Hand cream", 45m),
        ]),
        ("HOM", "家居生活", "Home & living",
        [
            ("记忆棉枕头", "Memory foam pillow", 199m), ("纯棉四件套", "Cotton bedding set", 499m),
            ("香薰蜡烛", "Scented candle", 79m), ("陶瓷餐具套装", "Ceramic dinnerware set", 329m),
            ("不锈钢保温杯", "Stainless steel flask", 119m), ("折叠收纳箱", "Folding storage box", 59.9m),
            ("空气净化器", "Air purifier", 1599m), ("毛巾套装", "Towel set", 89m),
        ]),
        ("ELE", "数码电子", "Electronics",
        [
            ("无线蓝牙耳机", "Wireless earbuds", 899m), ("智能手表", "Smartwatch", 1299m),
            ("移动电源 20000mAh", "Power bank 20000mAh", 149m), ("机械键盘", "Mechanical keyboard", 459m),
            ("无线鼠标", "Wireless mouse", 129m), ("平板电脑保护套", "Tablet case", 99m),
            ("便携蓝牙音箱", "Portable speaker", 349m), ("快充数据线", "Fast-charging cable", 39.9m),
        ]),
        ("FOO", "食品饮料", "Food & drink",
        [
            ("精选咖啡豆", "Specialty coffee beans", 98m), ("西湖龙井茶", "Longjing green tea", 368m),
            ("混合坚果礼盒", "Mixed nuts gift box", 159m), ("黑巧克力", "Dark chocolate", 45m),
            ("有机燕麦片", "Organic oats", 39.9m), ("进口红葡萄酒", "Imported red wine", 268m),
            ("月饼礼盒", "Mooncake gift box", 198m),
        ]),
        ("SPO", "运动户外", "Sports & outdoors",
        [
            ("加厚瑜伽垫", "Thick yoga mat", 129m), ("可调节哑铃", "Adjustable dumbbells", 299m),
            ("登山背包", "Hiking backpack", 459m), ("双人帐篷", "Two-person tent", 699m),
            ("运动水壶", "Sports bottle", 59m), ("羽毛球拍", "Badminton racket", 239m),
            ("骑行头盔", "Cycling helmet", 329m),
        ]),
        ("KID", "母婴", "Baby & kids",
        [
            ("婴儿纸尿裤", "Baby nappies", 139m), ("轻便婴儿推车", "Lightweight stroller", 1899m),
            ("儿童绘本套装", "Children's picture books", 128m), ("益智积木", "Building blocks", 259m),
            ("婴儿湿巾", "Baby wipes", 49.9m), ("儿童保温杯", "Kids' thermos", 99m),
            ("毛绒玩具", "Plush toy", 79m),
        ]),
    ];

    private static IReadOnlyList<DemoProductSpec> BuildProducts(bool chinese) =>
        ProductTable.SelectMany(c => c.Items.Select((item, i) => new DemoProductSpec(
            $"{c.Code}-{i + 1:000}",
            chinese ? item.Zh : item.En,
            chinese ? c.Zh : c.En,
            item.Price))).ToList();

    private static DemoCity Cn(string city, string province, double weight, string postalPrefix) =>
        new(city, province, "中国", weight, 8, PostalStyle.China, [postalPrefix]);

    private static DemoCity Us(string city, string state, double weight, int offset, string zipPrefix, string areaCode) =>
        new(city, state, "United States", weight, offset, PostalStyle.UnitedStates, [zipPrefix], areaCode);

    private static DemoCity Uk(string city, string region, double weight, params string[] outwardCodes) =>
        new(city, region, "United Kingdom", weight, 0, PostalStyle.UnitedKingdom, outwardCodes);

    public static readonly DemoCatalog Chinese = new()
    {
        Locale = ChineseLocale,
        Cities =
        [
            Cn("上海", "上海市", 10, "2000"), Cn("北京", "北京市", 10, "1000"), Cn("广州", "广东省", 8, "5100"),
            Cn("深圳", "广东省", 8, "5180"), Cn("杭州", "浙江省", 6, "3100"), Cn("成都", "四川省", 6, "6100"),
            Cn("重庆", "重庆市", 5, "4000"), Cn("武汉", "湖北省", 5, "4300"), Cn("南京", "江苏省", 5, "2100"),
            Cn("苏州", "江苏省", 5, "2150"), Cn("西安", "陕西省", 4, "7100"), Cn("天津", "天津市", 4, "3000"),
            Cn("长沙", "湖南省", 4, "4100"), Cn("郑州", "河南省", 3, "4500"), Cn("青岛", "山东省", 3, "2660"),
            Cn("济南", "山东省", 2, "2500"), Cn("宁波", "浙江省", 3, "3150"), Cn("厦门", "福建省", 3, "3610"),
            Cn("福州", "福建省", 2, "3500"), Cn("合肥", "安徽省", 2, "2300"), Cn("昆明", "云南省", 2, "6500"),
            Cn("沈阳", "辽宁省", 2, "1100"), Cn("大连", "辽宁省", 2, "1160"), Cn("哈尔滨", "黑龙江省", 2, "1500"),
            Cn("长春", "吉林省", 1.5, "1300"), Cn("南宁", "广西壮族自治区", 1.5, "5300"), Cn("贵阳", "贵州省", 1.5, "5500"),
            Cn("南昌", "江西省", 1.5, "3300"), Cn("石家庄", "河北省", 1.5, "0500"), Cn("太原", "山西省", 1.5, "0300"),
            Cn("东莞", "广东省", 3, "5230"), Cn("佛山", "广东省", 3, "5280"), Cn("无锡", "江苏省", 2, "2140"),
        ],
        Products = BuildProducts(chinese: true),
        EmailDomains = ["qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "139.com", "outlook.com", "gmail.com"],
        Streets =
        [
            "人民路", "中山路", "解放路", "建设路", "和平路", "长江路", "新华路", "文化路",
            "青年路", "胜利路", "东风路", "光明路", "复兴路", "延安路", "滨江路", "科技路",
        ],
        SearchTerms =
        [
            "羽绒服", "跑步鞋", "蓝牙耳机", "面霜", "保温杯", "咖啡豆", "瑜伽垫", "纸尿裤",
            "连衣裙", "智能手表", "双十一优惠", "新品", "礼盒", "防晒", "积木", "帐篷",
        ],
        Campaigns = ["新品上市", "会员日专享", "双十一预热", "618年中大促", "春节年货节", "生日礼遇", "秋冬上新", "老客回馈"],
        StoreSuffixes = ["万达广场店", "万象城店", "步行街旗舰店", "大悦城店", "来福士店"],
        NoteTemplates =
        [
            "电话回访：客户对{product}很满意，希望有新品时通知。",
            "客户咨询{product}的保修政策，已解释并发送说明。",
            "到店体验了{product}，计划在下次会员活动时购买。",
            "客户反馈物流较慢，已致歉并补发优惠券。",
            "生日月，已发送会员生日礼券。",
            "客户希望只接收短信通知，不要电话联系。",
            "批量采购意向：询问{product}的团购价格，已转交销售跟进。",
            "退货已处理，原因：尺码不合适。",
            "客户推荐了两位朋友注册会员。",
            "投诉已解决：{product}包装破损，已重新发货。",
            "客户对积分兑换规则有疑问，已详细说明。",
            "{city}门店活动邀约，客户表示有兴趣参加。",
        ],
        Coupons = ["NEWUSER20", "VIP95", "SPRING10", "MEMBER15", "FREESHIP"],
        PeakCoupon = "DOUBLE11",
        Accounts =
        [
            new("admin@crm.local", Domain.Roles.Admin, "陈静（管理员）"),
            new("marketer@crm.local", Domain.Roles.Marketer, "林晓燕（市场）"),
            new("sales@crm.local", Domain.Roles.Sales, "张伟（销售）"),
        ],
    };

    public static readonly DemoCatalog English = new()
    {
        Locale = EnglishLocale,
        Cities =
        [
            Us("New York", "New York", 10, -5, "100", "212"), Us("Los Angeles", "California", 8, -8, "900", "213"),
            Us("Chicago", "Illinois", 6, -6, "606", "312"), Us("Houston", "Texas", 5, -6, "770", "713"),
            Us("Phoenix", "Arizona", 3, -7, "850", "602"), Us("Philadelphia", "Pennsylvania", 3, -5, "191", "215"),
            Us("San Antonio", "Texas", 2, -6, "782", "210"), Us("San Diego", "California", 3, -8, "921", "619"),
            Us("Dallas", "Texas", 4, -6, "752", "214"), Us("Seattle", "Washington", 4, -8, "981", "206"),
            Us("Boston", "Massachusetts", 4, -5, "021", "617"), Us("Denver", "Colorado", 3, -7, "802", "303"),
            Us("Atlanta", "Georgia", 3, -5, "303", "404"), Us("Miami", "Florida", 3, -5, "331", "305"),
            Us("San Francisco", "California", 5, -8, "941", "415"),
            Uk("London", "Greater London", 10, "SW1A", "EC1A", "N1", "E2", "SE1", "W1D", "NW3"),
            Uk("Manchester", "Greater Manchester", 5, "M1", "M2", "M4", "M14", "M20"),
            Uk("Birmingham", "West Midlands", 5, "B1", "B5", "B15", "B29"),
            Uk("Leeds", "West Yorkshire", 3, "LS1", "LS2", "LS6", "LS11"),
            Uk("Glasgow", "Scotland", 3, "G1", "G2", "G12", "G41"),
            Uk("Edinburgh", "Scotland", 3, "EH1", "EH3", "EH8", "EH10"),
            Uk("Liverpool", "Merseyside", 3, "L1", "L3", "L8", "L17"),
            Uk("Bristol", "Bristol", 3, "BS1", "BS6", "BS8"),
            Uk("Sheffield", "South Yorkshire", 2, "S1", "S10", "S11"),
            Uk("Cardiff", "Wales", 2, "CF10", "CF11", "CF24"),
            Uk("Belfast", "Northern Ireland", 2, "BT1", "BT7", "BT9"),
            Uk("Newcastle upon Tyne", "Tyne and Wear", 2, "NE1", "NE2", "NE6"),
            Uk("Nottingham", "Nottinghamshire", 2, "NG1", "NG7"),
            Uk("Leicester", "Leicestershire", 1.5, "LE1", "LE2"),
            Uk("Southampton", "Hampshire", 1.5, "SO14", "SO15"),
        ],
        Products = BuildProducts(chinese: false),
        EmailDomains = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com", "btinternet.com", "yahoo.co.uk"],
        Streets = [],
        SearchTerms =
        [
            "down jacket", "running shoes", "earbuds", "moisturiser", "flask", "coffee", "yoga mat", "nappies",
            "dress", "smartwatch", "black friday deals", "new arrivals", "gift box", "sunscreen", "blocks", "tent",
        ],
        Campaigns = ["New arrivals", "Members' day", "Black Friday preview", "Summer sale", "Holiday gift guide", "Birthday treat", "Autumn collection", "Win-back offer"],
        StoreSuffixes = ["High Street", "Mall", "Downtown", "Flagship", "Retail Park"],
        NoteTemplates =
        [
            "Follow-up call: very happy with the {product}, wants to hear about new arrivals.",
            "Asked about the warranty on the {product}; explained and sent the terms.",
            "Tried the {product} in store, plans to buy at the next members' event.",
            "Complained about slow delivery; apologised and sent a voucher.",
            "Birthday month: sent the member birthday voucher.",
            "Prefers text messages only, no phone calls.",
            "Bulk order interest: asked for volume pricing on the {product}; passed to sales.",
            "Return processed, reason: wrong size.",
            "Referred two friends who joined the loyalty programme.",
            "Complaint resolved: {product} arrived damaged, replacement shipped.",
            "Questions about redeeming loyalty points; explained the rules.",
            "Invited to the {city} store event, sounded interested.",
        ],
        Coupons = ["WELCOME10", "VIP10", "SPRING15", "MEMBER15", "FREESHIP"],
        PeakCoupon = "BLACKFRIDAY",
        Accounts =
        [
            new("admin@crm.local", Domain.Roles.Admin, "Alex Morgan (Admin)"),
            new("marketer@crm.local", Domain.Roles.Marketer, "Jamie Taylor (Marketing)"),
            new("sales@crm.local", Domain.Roles.Sales, "Sam Parker (Sales)"),
        ],
    };
}
