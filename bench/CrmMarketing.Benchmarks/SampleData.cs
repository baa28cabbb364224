namespace CrmMarketing.Benchmarks;

/// <summary>Picks an item with probability proportional to its weight, in O(log n).</summary>
internal sealed class Weighted<T>
{
    private readonly T[] _items;
    private readonly int[] _cumulative;

    public Weighted(params (T Item, int Weight)[] entries)
    {
        _items = entries.Select(e => e.Item).ToArray();
        _cumulative = new int[entries.Length];
        var total = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            total += entries[i].Weight;
            _cumulative[i] = total;
        }
    }

    public T Next(Random random)
    {
        var index = Array.BinarySearch(_cumulative, random.Next(_cumulative[^1]) + 1);
        return _items[index >= 0 ? index : ~index];
    }
}

internal sealed record Place(string City, string Region, string Country, string? PostalPrefix);

internal sealed record Syllable(string Hanzi, string Pinyin);

/// <summary>The word lists the generator draws from. Weights follow rough real-world frequencies so that
/// filters and prefix searches see realistic selectivity (a common surname matches a few per cent of rows).</summary>
internal static class SampleData
{
    public static readonly Weighted<Syllable> ChineseSurnames = new(
        (new("王", "wang"), 71), (new("李", "li"), 70), (new("张", "zhang"), 67), (new("刘", "liu"), 54),
        (new("陈", "chen"), 45), (new("杨", "yang"), 31), (new("黄", "huang"), 22), (new("赵", "zhao"), 20),
        (new("吴", "wu"), 18), (new("周", "zhou"), 17), (new("徐", "xu"), 13), (new("孙", "sun"), 12),
        (new("马", "ma"), 12), (new("朱", "zhu"), 11), (new("胡", "hu"), 10), (new("郭", "guo"), 10),
        (new("何", "he"), 9), (new("高", "gao"), 9), (new("林", "lin"), 9), (new("罗", "luo"), 9),
        (new("郑", "zheng"), 8), (new("梁", "liang"), 8), (new("谢", "xie"), 6), (new("宋", "song"), 6),
        (new("唐", "tang"), 5), (new("许", "xu"), 5), (new("韩", "han"), 5), (new("冯", "feng"), 5),
        (new("邓", "deng"), 5), (new("曹", "cao"), 5));

    public static readonly Syllable[] ChineseGivenFemale =
    [
        new("芳", "fang"), new("娜", "na"), new("敏", "min"), new("静", "jing"), new("丽", "li"), new("艳", "yan"),
        new("娟", "juan"), new("秀", "xiu"), new("霞", "xia"), new("玲", "ling"), new("欣", "xin"), new("婷", "ting"),
        new("雪", "xue"), new("琳", "lin"), new("怡", "yi"), new("涵", "han"), new("梅", "mei"), new("晶", "jing"),
    ];

    public static readonly Syllable[] ChineseGivenMale =
    [
        new("伟", "wei"), new("强", "qiang"), new("磊", "lei"), new("军", "jun"), new("洋", "yang"), new("勇", "yong"),
        new("杰", "jie"), new("涛", "tao"), new("明", "ming"), new("超", "chao"), new("刚", "gang"), new("华", "hua"),
        new("建", "jian"), new("文", "wen"), new("宇", "yu"), new("浩", "hao"), new("鹏", "peng"), new("轩", "xuan"),
    ];

    public static readonly string[] LatinFirstFemale =
    [
        "Emma", "Olivia", "Sophia", "Isabella", "Mia", "Charlotte", "Amelia", "Harper", "Evelyn", "Abigail",
        "Emily", "Grace", "Chloe", "Lily", "Hannah", "Anna", "Julia", "Laura", "Sarah", "Lucy",
    ];

    public static readonly string[] LatinFirstMale =
    [
        "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Daniel",
        "Matthew", "Anthony", "Mark", "Paul", "Steven", "Andrew", "Joshua", "Kevin", "Brian", "Liam",
    ];

    public static readonly string[] LatinLast =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
        "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Lopez", "Hill",
        "Scott", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips",
    ];

    /// <summary>Reserved example domains only: generated addresses must never reach a real mailbox.</summary>
    public static readonly Weighted<string> EmailDomains = new(
        ("example.com", 40), ("example.cn", 25), ("example.net", 15), ("example.org", 10), ("mail.example.com", 10));

    public static readonly Weighted<Place> Places = new(
        (new("上海", "上海", "中国", "200"), 100), (new("北京", "北京", "中国", "100"), 100),
        (new("深圳", "广东", "中国", "518"), 80), (new("广州", "广东", "中国", "510"), 80),
        (new("杭州", "浙江", "中国", "310"), 60), (new("成都", "四川", "中国", "610"), 60),
        (new("南京", "江苏", "中国", "210"), 50), (new("武汉", "湖北", "中国", "430"), 50),
        (new("重庆", "重庆", "中国", "400"), 50), (new("西安", "陕西", "中国", "710"), 40),
        (new("苏州", "江苏", "中国", "215"), 40), (new("天津", "天津", "中国", "300"), 40),
        (new("长沙", "湖南", "中国", "410"), 30), (new("郑州", "河南", "中国", "450"), 30),
        (new("青岛", "山东", "中国", "266"), 30), (new("宁波", "浙江", "中国", "315"), 30),
        (new("厦门", "福建", "中国", "361"), 30), (new("济南", "山东", "中国", "250"), 20),
        (new("合肥", "安徽", "中国", "230"), 20), (new("福州", "福建", "中国", "350"), 20),
        (new("昆明", "云南", "中国", "650"), 20), (new("大连", "辽宁", "中国", "116"), 20),
        (new("沈阳", "辽宁", "中国", "110"), 20), (new("东莞", "广东", "中国", "523"), 20),
        (new("佛山", "广东", "中国", "528"), 20), (new("无锡", "江苏", "中国", "214"), 20),
        (new("哈尔滨", "黑龙江", "中国", "150"), 15), (new("香港", "香港", "中国", null), 10),
        (new("新加坡", "新加坡", "新加坡", "018"), 5), (new("伦敦", "英格兰", "英国", null), 5));

    public static readonly string[] Streets =
    [
        "人民路", "中山路", "解放路", "建设路", "和平路", "南京路", "长江路", "黄河路", "学府路", "新华路", "花园路", "滨江大道",
    ];

    public static readonly Weighted<string> Sources = new(
        ("website", 30), ("store", 20), ("wechat", 20), ("marketplace", 10), ("referral", 8), ("event", 5), ("import", 7));

    public static readonly string[] Tags =
    [
        "vip", "wholesale", "newsletter", "student", "b2b", "lapsed", "high-value", "gift-buyer", "early-adopter",
        "family", "promo-seeker", "loyalty",
    ];

    public static readonly string[] CouponCodes = ["WELCOME10", "SPRING15", "VIP20", "FREESHIP", "DOUBLE11", "618SALE", "BDAY", "SAVE5"];

    /// <summary>Category, the items sold in it, and its price range in whole currency units.</summary>
    public static readonly (string Category, string[] Items, int MinPrice, int MaxPrice)[] Categories =
    [
        ("服装", ["T恤", "衬衫", "外套", "连衣裙", "卫衣"], 59, 899),
        ("鞋履", ["运动鞋", "皮鞋", "凉鞋", "靴子", "拖鞋"], 49, 1299),
        ("箱包", ["背包", "手提包", "钱包", "行李箱", "腰包"], 39, 1999),
        ("美妆", ["口红", "粉底液", "眼影", "香水", "面膜"], 29, 799),
        ("个护", ["洗发水", "沐浴露", "牙膏", "剃须刀", "护手霜"], 9, 399),
        ("家居", ["抱枕", "床品套件", "收纳盒", "台灯", "地毯"], 19, 1599),
        ("厨具", ["炒锅", "刀具", "保温杯", "电饭煲", "餐具套装"], 29, 1299),
        ("数码", ["耳机", "充电宝", "智能手表", "键盘", "鼠标"], 49, 2999),
        ("食品", ["茶叶", "咖啡豆", "坚果礼盒", "巧克力", "月饼"], 9, 599),
        ("母婴", ["奶瓶", "纸尿裤", "婴儿车", "玩具", "童装"], 19, 2499),
    ];

    public static readonly string[] ProductBrands = ["云朵", "山海", "星河", "初心", "木子", "青禾", "暖阳", "拾光", "悦享", "简约"];
}
