using System.Globalization;
using System.Text;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.Services.Import;

/// <summary>A field a column can fill, with the headers (English and Chinese) that map to it automatically.</summary>
public sealed record ImportField(string Name, string Label, bool Required, params string[] Aliases);

/// <summary>The fields of each entity type and the automatic matching of headers to them.</summary>
public static class ImportFields
{
    public const string Name = "name";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string ExternalId = "externalId";
    public const string Gender = "gender";
    public const string BirthDate = "birthDate";
    public const string Address = "address";
    public const string City = "city";
    public const string Region = "region";
    public const string Country = "country";
    public const string PostalCode = "postalCode";
    public const string Source = "source";
    public const string Tags = "tags";
    public const string OrderNumber = "orderNumber";
    public const string Sku = "sku";
    public const string ProductName = "productName";
    public const string Quantity = "quantity";
    public const string UnitPrice = "unitPrice";
    public const string PurchasedAt = "purchasedAt";
    public const string Channel = "channel";
    public const string EventType = "eventType";
    public const string OccurredAt = "occurredAt";
    public const string Properties = "properties";
    public const string Score = "score";
    public const string Content = "content";
    public const string Category = "category";
    public const string CreatedAt = "createdAt";

    private static readonly ImportField NameField = new(Name, "Name", false, "name", "fullname", "customername", "customer", "姓名", "名字", "客户", "客户名称", "客户姓名", "会员姓名", "联系人");
    private static readonly ImportField EmailField = new(Email, "Email", false, "email", "emailaddress", "mail", "邮箱", "电子邮件", "电子邮箱", "邮件", "邮箱地址");
    private static readonly ImportField PhoneField = new(Phone, "Phone", false, "phone", "mobile", "tel", "telephone", "phonenumber", "mobilephone", "cellphone", "cell", "手机", "手机号", "手机号码", "电话", "电话号码", "联系电话", "联系方式");
    private static readonly ImportField ExternalIdField = new(ExternalId, "External id", false, "externalid", "customerid", "customerno", "customernumber", "memberid", "memberno", "id", "外部编号", "客户编号", "客户id", "会员号", "会员编号", "会员id");
    private static readonly ImportField CountryField = new(Country, "Country", false, "country", "国家", "国家地区");

    public static IReadOnlyList<ImportField> For(ImportEntityType type) => type switch
    {
        ImportEntityType.Customers =>
        [
            NameField, EmailField, PhoneField, ExternalIdField,
            new(Gender, "Gender", false, "gender", "sex", "性别"),
            new(BirthDate, "Birth date", false, "birthdate", "birthday", "dateofbirth", "dob", "生日", "出生日期"),
            new(Address, "Address", false, "address", "street", "streetaddress", "地址", "详细地址", "街道"),
            new(City, "City", false, "city", "town", "城市", "市", "所在城市"),
            new(Region, "Region", false, "region", "province", "state", "省份", "省", "地区", "所在省份"),
            CountryField,
            new(PostalCode, "Postal code", false, "postalcode", "postcode", "zip", "zipcode", "邮编", "邮政编码"),
            new(Source, "Source", false, "source", "leadsource", "来源", "客户来源"),
            new(Tags, "Tags", false, "tags", "tag", "labels", "标签"),
        ],
        ImportEntityType.Purchases =>
        [
            ExternalIdField, EmailField, PhoneField, NameField, CountryField,
            new(OrderNumber, "Order number", false, "ordernumber", "orderno", "orderid", "invoiceno", "invoice", "invoicenumber", "订单号", "订单编号", "单号"),
            new(Sku, "Product code (SKU)", true, "sku", "stockcode", "productcode", "itemcode", "商品编码", "商品编号", "货号"),
            new(ProductName, "Product name", false, "productname", "description", "product", "item", "商品名称", "商品", "品名"),
            new(Quantity, "Quantity", true, "quantity", "qty", "数量"),
            new(UnitPrice, "Unit price", true, "unitprice", "price", "单价", "价格"),
            new(PurchasedAt, "Purchase date", true, "purchasedat", "purchasedate", "orderdate", "invoicedate", "date", "下单时间", "购买时间", "订单日期", "日期", "时间"),
            new(Channel, "Channel", false, "channel", "saleschannel", "渠道", "销售渠道"),
        ],
        ImportEntityType.Events =>
        [
            ExternalIdField, EmailField, PhoneField,
            new(EventType, "Event type", true, "eventtype", "type", "event", "事件", "事件类型", "类型"),
            new(OccurredAt, "Occurred at", true, "occurredat", "timestamp", "time", "date", "datetime", "发生时间", "时间", "日期"),
            new(Source, "Source", false, "source", "来源"),
            new(Properties, "Properties (JSON)", false, "properties", "data", "payload", "属性", "数据"),
        ],
        ImportEntityType.Feedback =>
        [
            ExternalIdField, EmailField, PhoneField,
            new(Score, "Score (1–5)", true, "score", "rating", "stars", "评分", "分数", "星级"),
            new(Content, "Content", true, "content", "comment", "feedback", "text", "message", "内容", "反馈", "反馈内容", "评价"),
            new(Channel, "Channel", false, "channel", "渠道"),
            new(Category, "Category", false, "category", "类别", "分类"),
            new(CreatedAt, "Date", false, "createdat", "date", "日期", "时间"),
            new(Tags, "Tags", false, "tags", "tag", "标签"),
        ],
        _ => [],
    };

    /// <summary>Lower-case, without spaces, underscores, hyphens, dots, slashes or a BOM; full-width letters folded.</summary>
    public static string NormaliseHeader(string header)
    {
        var folded = header.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (c is ' ' or '_' or '-' or '.' or '/' or '\uFEFF' or '(' or ')' or '（' or '）' || char.IsWhiteSpace(c))
            {
                continue;
            }

            sb.Append(char.ToLower(c, CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>For every header, the field it matches or "" — each field at most once, first column wins.</summary>
    public static string[] AutoMap(ImportEntityType type, IReadOnlyList<string> headers)
    {
        var fields = For(type);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var mapping = new string[headers.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            var key = NormaliseHeader(headers[i]);
            var field = fields.FirstOrDefault(f => !used.Contains(f.Name)
                && (f.Aliases.Contains(key, StringComparer.Ordinal) || NormaliseHeader(f.Name) == key));
            mapping[i] = field?.Name ?? string.Empty;
            if (field is not null)
            {
                used.Add(field.Name);
            }
        }

        return mapping;
    }

    /// <summary>The field each header maps to under a template (normalised header → field); unknown headers stay unmapped.</summary>
    public static string[] FromTemplate(ImportEntityType type, IReadOnlyList<string> headers, IReadOnlyDictionary<string, string> template)
    {
        var known = For(type).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        return headers.Select(h => template.TryGetValue(NormaliseHeader(h), out var f) && known.Contains(f) ? f : string.Empty).ToArray();
    }

    public static string MatchKeyField(ImportMatchKey key) => key switch
    {
        ImportMatchKey.Phone => Phone,
        ImportMatchKey.ExternalId => ExternalId,
        _ => Email,
    };
}
