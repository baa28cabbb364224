using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Bogus;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.Data.DemoData;

internal enum DemoBehaviour
{
    /// <summary>Signed up, never bought.</summary>
    Prospect,

    /// <summary>A few orders spread over their time as a customer.</summary>
    Occasional,

    /// <summary>Many orders, the last one recent.</summary>
    Loyal,

    /// <summary>Bought for a while, nothing in the last six months or more.</summary>
    Lapsed,
}

/// <summary>Builds a realistic, fully deterministic data set in memory: the same catalog, seed, size
/// and clock always give the same rows, because every random choice comes from one seeded
/// <see cref="Randomizer"/> in a fixed order.</summary>
internal sealed class DemoDataGenerator
{
    public const double PurchasesPerCustomer = 10;
    public const double EventsPerCustomer = 15;
    public const double NotesPerCustomer = 0.75;
    public const string DemoSource = "demo";

    private const int HistoryDays = 730;
    private const double ReturnRate = 0.025;

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        // Keep Chinese text readable in the stored JSON while still escaping markup characters.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.BasicLatin, UnicodeRanges.CjkUnifiedIdeographs,
            UnicodeRanges.CjkSymbolsandPunctuation, UnicodeRanges.HalfwidthandFullwidthForms),
    };

    private static readonly PurchaseChannel[] Channels =
        [PurchaseChannel.Online, PurchaseChannel.Store, PurchaseChannel.Marketplace, PurchaseChannel.Phone];

    private static readonly decimal[] Discounts = [0.95m, 0.9m, 0.85m, 0.8m];
    private static readonly string[] PagePaths = ["/", "/products", "/new", "/sale", "/account", "/cart", "/stores", "/help"];
    private static readonly string[] Referrers = ["direct", "search", "social", "email", "ads"];
    private static readonly string[] EmailClients = ["mobile", "desktop", "webmail"];
    private static readonly string[] UkPostcodeLetters = "ABDEFGHJLNPQRSTUWXYZ".Select(c => c.ToString()).ToArray();

    // Local hour of day: online shopping peaks at lunch and in the evening, shops are open 10–22.
    private static readonly double[] OnlineHourWeights =
        [1.2, 0.6, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 2.0, 3.0, 4.0, 4.5, 4.8, 4.2, 3.6, 3.5, 3.8, 4.0, 4.5, 5.5, 6.2, 6.0, 4.5, 2.4];

    private static readonly double[] StoreHourWeights =
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2.0, 3.5, 4.0, 3.5, 3.5, 4.0, 4.5, 4.5, 5.0, 5.0, 4.0, 2.5, 0, 0];

    private static readonly double[] OfficeHourWeights =
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 4, 4, 2, 3, 4, 4, 4, 3, 1, 0, 0, 0, 0, 0];

    private readonly DemoCatalog _catalog;
    private readonly Randomizer _rnd;
    private readonly Faker _faker;
    private readonly DateTime _now;
    private readonly DateTime _historyStart;
    private readonly Picker<int> _onlineHours;
    private readonly Picker<int> _storeHours;
    private readonly Picker<int> _officeHours;
    private readonly HashSet<string> _emails = new(StringComparer.Ordinal);
    private readonly HashSet<string> _phones = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _jsonBuffer = new(256);
    private readonly double _maxDayWeight;

    public DemoDataGenerator(DemoCatalog catalog, int seed, DateTime nowUtc)
    {
        _catalog = catalog;
        _rnd = new Randomizer(seed);
        _faker = new Faker(catalog.IsChinese ? "zh_CN" : "en") { Random = _rnd };
        // Whole seconds: every stored time has the same text shape and compares correctly as text.
        _now = new DateTime(nowUtc.Ticks - (nowUtc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        _historyStart = _now.AddDays(-HistoryDays);
        var hours = Enumerable.Range(0, 24).ToArray();
        _onlineHours = new Picker<int>(hours, OnlineHourWeights);
        _storeHours = new Picker<int>(hours, StoreHourWeights);
        _officeHours = new Picker<int>(hours, OfficeHourWeights);
        _maxDayWeight = 1.7 * 1.4 * 3;
    }

    /// <param name="existingSkus">Products already in the database, by SKU: they are reused, not inserted again.</param>
    public DemoDataSet Generate(int customerCount, DemoIdBase ids, IReadOnlyList<DemoNoteAuthor> authors,
        IReadOnlyDictionary<string, int> existingSkus)
    {
        var data = new DemoDataSet();
        var products = CreateProducts(data, ids, existingSkus);
        var profiles = CreateCustomers(data, ids, customerCount);
        CreatePurchases(data, ids, profiles, products);
        CreateEvents(data, ids, profiles, products, (int)Math.Round(customerCount * EventsPerCustomer));
        CreateNotes(data, ids, profiles, products, authors, (int)Math.Round(customerCount * NotesPerCustomer));
        return data;
    }

    private sealed class Profile
    {
        public required Customer Customer { get; init; }
        public required DemoBehaviour Behaviour { get; init; }
        public required DemoCity City { get; init; }
        public required PurchaseChannel PreferredChannel { get; init; }
        public required string[] FavouriteCategories { get; init; }

        /// <summary>For lapsed customers, the moment after which they stopped buying.</summary>
        public DateTime? LapsedAt { get; init; }
    }

    private sealed class ProductInfo
    {
        public required Product Product { get; init; }
        public required double Popularity { get; init; }
    }

    private List<ProductInfo> CreateProducts(DemoDataSet data, DemoIdBase ids, IReadOnlyDictionary<string, int> existingSkus)
    {
        var list = new List<ProductInfo>();
        var createdAt = _historyStart.AddDays(-60);
        var nextId = ids.Product;
        foreach (var spec in _catalog.Products)
        {
            var exists = existingSkus.TryGetValue(spec.Sku, out var existingId);
            var product = new Product
            {
                Id = exists ? existingId : ++nextId,
                Sku = spec.Sku,
                Name = spec.Name,
                Category = spec.Category,
                ListPrice = spec.ListPrice,
                IsActive = true,
                CreatedAt = createdAt,
            };
            if (!exists)
            {
                data.Products.Add(product);
            }

            list.Add(new ProductInfo { Product = product, Popularity = _rnd.Double(0.3, 3.0) });
        }

        return list;
    }

    // ---------------------------------------------------------------- customers

    private List<Profile> CreateCustomers(DemoDataSet data, DemoIdBase ids, int count)
    {
        var behaviours = new Picker<DemoBehaviour>(
            [DemoBehaviour.Loyal, DemoBehaviour.Occasional, DemoBehaviour.Lapsed, DemoBehaviour.Prospect], [15, 55, 22, 8]);
        var cities = new Picker<DemoCity>(_catalog.Cities, _catalog.Cities.Select(c => c.Weight));
        var sources = new Picker<string>(DemoCatalog.Sources, DemoCatalog.SourceWeights);
        var genders = new Picker<Gender>([Gender.Female, Gender.Male, Gender.Unknown], [52, 45, 3]);
        var channels = new Picker<PurchaseChannel>(Channels, [45, 30, 18, 7]);
        var categories = _catalog.Products.Select(p => p.Category).Distinct().ToArray();

        var profiles = new List<Profile>(count);
        for (var i = 0; i < count; i++)
        {
            var behaviour = behaviours.Pick(_rnd);
            var city = cities.Pick(_rnd);
            var gender = genders.Pick(_rnd);
            DateTime? lapsedAt = null;
            DateTime createdAt;
            switch (behaviour)
            {
                case DemoBehaviour.Loyal:
                    createdAt = RandomBetween(_historyStart, _now.AddDays(-240));
                    break;
                case DemoBehaviour.Lapsed:
                    lapsedAt = _now.AddDays(-_rnd.Number(190, 560));
                    createdAt = RandomBetween(_historyStart, lapsedAt.Value.AddDays(-60));
                    break;
                case DemoBehaviour.Occasional:
                    createdAt = RandomBetween(_historyStart, _now.AddDays(-2));
                    break;
                default:
                    createdAt = RandomBetween(_historyStart, _now.AddDays(-1));
                    break;
            }

            var (name, latinGiven, latinFamily) = CreateName(gender);
            var birthDate = CreateBirthDate();
            var email = _rnd.Bool(0.97f) ? CreateEmail(latinGiven, latinFamily, birthDate) : null;
            var phone = _rnd.Bool(0.95f) ? CreatePhone(city) : null;
            var source = sources.Pick(_rnd);

            var customer = new Customer
            {
                Id = ids.Customer + i + 1,
                Name = name,
                NameKey = Customer.KeyOf(name),
                Email = email,
                EmailKey = email?.ToLowerInvariant(),
                Phone = phone,
                Gender = gender,
                BirthDate = birthDate,
                Address = CreateAddress(),
                City = city.Name,
                Region = city.Region,
                Country = city.Country,
                PostalCode = CreatePostalCode(city),
                Source = source,
                CreatedAt = createdAt,
                CreatedBy = DemoSource,
                UpdatedAt = _rnd.Bool(0.3f) ? RandomBetween(createdAt, _now) : createdAt,
                UpdatedBy = DemoSource,
                Version = 1,
            };
            SetConsent(customer);
            data.Customers.Add(customer);
            AddTags(data, customer, behaviour, source, birthDate);

            var favourites = _rnd.Shuffle(categories).Take(_rnd.Number(1, 3)).ToArray();
            profiles.Add(new Profile
            {
                Customer = customer,
                Behaviour = behaviour,
                City = city,
                PreferredChannel = channels.Pick(_rnd),
                FavouriteCategories = favourites,
                LapsedAt = lapsedAt,
            });
        }

        return profiles;
    }

    private (string Name, string LatinGiven, string LatinFamily) CreateName(Gender gender)
    {
        var female = gender == Gender.Female || (gender != Gender.Male && _rnd.Bool());
        if (_catalog.IsChinese)
        {
            // Frequent surnames first: squaring the uniform draw favours the front of the list.
            var surnames = DemoCatalog.ChineseSurnames;
            var surname = surnames[(int)(Math.Pow(_rnd.Double(), 2) * surnames.Count)];
            var given = Item(female ? DemoCatalog.ChineseFemaleGivenNames : DemoCatalog.ChineseMaleGivenNames);
            return (surname.Text + given.Text, given.Latin, surname.Latin);
        }

        var first = _faker.Name.FirstName(female ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male);
        var last = _faker.Name.LastName();
        return ($"{first} {last}", LatinOnly(first), LatinOnly(last));
    }

    private DateOnly? CreateBirthDate()
    {
        if (_rnd.Bool(0.08f))
        {
            return null;
        }

        var age = 18 + _rnd.Number(0, 17) + _rnd.Number(0, 17) + (_rnd.Bool(0.12f) ? _rnd.Number(0, 18) : 0);
        return DateOnly.FromDateTime(_now).AddYears(-age).AddDays(-_rnd.Number(0, 364));
    }

    private string CreateEmail(string given, string family, DateOnly? birthDate)
    {
        var domain = _catalog.IsChinese && _rnd.Bool(0.45f) ? "qq.com" : Item(_catalog.EmailDomains);
        var year = birthDate?.Year.ToString(CultureInfo.InvariantCulture) ?? _rnd.Number(1970, 2005).ToString(CultureInfo.InvariantCulture);
        string local;
        if (domain == "qq.com" && _rnd.Bool(0.6f))
        {
            // QQ mailboxes are usually the QQ number itself.
            local = _rnd.Number(1, 9).ToString(CultureInfo.InvariantCulture) + _rnd.Replace(new string('#', _rnd.Number(6, 9)));
        }
        else
        {
            local = _rnd.Number(0, 4) switch
            {
                0 => $"{given}.{family}",
                1 => $"{family}{given}{year[2..]}",
                2 => $"{given[0]}{family}",
                3 => $"{family}.{given}{_rnd.Number(1, 99)}",
                _ => $"{given}_{family}{year}",
            };
        }

        var email = $"{local}@{domain}".ToLowerInvariant();
        while (!_emails.Add(email))
        {
            email = $"{local}{_rnd.Number(1, 999)}@{domain}".ToLowerInvariant();
        }

        return email;
    }

    private string CreatePhone(DemoCity city)
    {
        string phone;
        do
        {
            phone = city.PostalStyle switch
            {
                PostalStyle.China => "+86" + Item(DemoCatalog.ChineseMobilePrefixes) + _rnd.Replace("########"),
                PostalStyle.UnitedStates => "+1" + city.AreaCode + _rnd.Number(2, 9) + _rnd.Replace("##") + _rnd.Replace("####"),
                _ => "+447" + Item(DemoCatalog.UkMobilePrefixes)[1..] + _rnd.Replace("########"),
            };
        }
        // 555 numbers are the well-known fictional ones: avoid them so the data looks real.
        while ((city.PostalStyle == PostalStyle.UnitedStates && phone.AsSpan(5, 3).SequenceEqual("555")) || !_phones.Add(phone));

        return phone;
    }

    private string CreateAddress()
    {
        if (_catalog.IsChinese)
        {
            var street = Item(_catalog.Streets) + _rnd.Number(1, 999).ToString(CultureInfo.InvariantCulture) + "号";
            return _rnd.Bool(0.6f)
                ? street + $"{_rnd.Number(1, 30)}栋{_rnd.Number(1, 32)}{_rnd.Number(1, 4):00}室"
                : street;
        }

        return _faker.Address.StreetAddress();
    }

    private string CreatePostalCode(DemoCity city)
    {
        var prefix = Item(city.PostalPrefixes);
        return city.PostalStyle switch
        {
            PostalStyle.China or PostalStyle.UnitedStates => prefix + _rnd.Replace("##"),
            _ => $"{prefix} {_rnd.Number(1, 9)}{Item(UkPostcodeLetters)}{Item(UkPostcodeLetters)}",
        };
    }

    private void SetConsent(Customer customer)
    {
        if (customer.Email is not null)
        {
            customer.EmailConsent = PickConsent(58, 9);
            if (customer.EmailConsent != ConsentState.Unknown)
            {
                customer.EmailConsentAt = _rnd.Bool(0.65f) ? customer.CreatedAt : RandomBetween(customer.CreatedAt, _now);
                customer.EmailConsentSource = DemoSource;
            }
        }

        if (customer.Phone is not null)
        {
            customer.SmsConsent = PickConsent(42, 12);
            if (customer.SmsConsent != ConsentState.Unknown)
            {
                customer.SmsConsentAt = _rnd.Bool(0.65f) ? customer.CreatedAt : RandomBetween(customer.CreatedAt, _now);
                customer.SmsConsentSource = DemoSource;
            }
        }
    }

    private ConsentState PickConsent(int optedInPercent, int optedOutPercent)
    {
        var roll = _rnd.Number(1, 100);
        return roll <= optedInPercent ? ConsentState.OptedIn
            : roll <= optedInPercent + optedOutPercent ? ConsentState.OptedOut
            : ConsentState.Unknown;
    }

    private void AddTags(DemoDataSet data, Customer customer, DemoBehaviour behaviour, string source, DateOnly? birthDate)
    {
        var target = _rnd.Number(1, 100) switch
        {
            <= 40 => 0,
            <= 75 => 1,
            <= 92 => 2,
            _ => 3,
        };
        var tags = new List<string>(3);
        if (behaviour == DemoBehaviour.Loyal && _rnd.Bool(0.7f))
        {
            tags.Add("vip");
        }

        if (source == "Partner" && _rnd.Bool(0.6f))
        {
            tags.Add("wholesale");
        }

        if (birthDate is { } born && born.Year >= _now.Year - 24 && _rnd.Bool(0.5f))
        {
            tags.Add("student");
        }

        while (tags.Count < target)
        {
            var tag = Item(DemoCatalog.Tags);
            if (!tags.Contains(tag))
            {
                tags.Add(tag);
            }
        }

        foreach (var tag in tags.Take(3))
        {
            data.Tags.Add(new CustomerTag { CustomerId = customer.Id, Tag = tag });
        }
    }

    // ---------------------------------------------------------------- purchases

    private void CreatePurchases(DemoDataSet data, DemoIdBase ids, List<Profile> profiles, List<ProductInfo> products)
    {
        var channels = new Picker<PurchaseChannel>(Channels, [45, 30, 18, 7]);
        var allProducts = new Picker<ProductInfo>(products, products.Select(p => p.Popularity));
        var byCategory = products.GroupBy(p => p.Product.Category!)
            .ToDictionary(g => g.Key, g => new Picker<ProductInfo>(g.ToList(), g.Select(p => p.Popularity)));
        var lineCounts = new Picker<int>([1, 2, 3, 4], [55, 25, 13, 7]);
        var quantities = new Picker<int>([1, 2, 3, 4, 5], [76, 17, 5, 1.5, 0.5]);

        var purchases = new List<Purchase>();
        foreach (var profile in profiles)
        {
            var customer = profile.Customer;
            var tenureDays = (_now - customer.CreatedAt).TotalDays;
            var (count, from, to) = profile.Behaviour switch
            {
                DemoBehaviour.Loyal => (_rnd.Number(22, 48), customer.CreatedAt, _now),
                DemoBehaviour.Lapsed => (_rnd.Number(2, 10), customer.CreatedAt, profile.LapsedAt!.Value),
                DemoBehaviour.Occasional => (1 + (int)Math.Round(_rnd.Number(2, 14) * Math.Min(1.0, tenureDays / 540)), customer.CreatedAt, _now),
                _ => (0, customer.CreatedAt, _now),
            };

            var own = new List<Purchase>(count + 2);
            for (var n = 0; n < count; n++)
            {
                // Loyal customers always have a recent order.
                var start = profile.Behaviour == DemoBehaviour.Loyal && n == 0 ? _now.AddDays(-21) : from;
                var channel = _rnd.Bool(0.6f) ? profile.PreferredChannel : channels.Pick(_rnd);
                var purchasedAt = SampleTime(start, to, profile.City.UtcOffsetHours, channel == PurchaseChannel.Store ? _storeHours : _onlineHours, seasonal: true);
                var purchase = new Purchase
                {
                    CustomerId = customer.Id,
                    PurchasedAt = purchasedAt,
                    Channel = channel,
                    CreatedAt = purchasedAt,
                    CreatedBy = DemoSource,
                };
                decimal discount = 1m;
                if (_rnd.Bool(0.12f))
                {
                    var peak = IsPeakDay(purchasedAt.AddHours(profile.City.UtcOffsetHours)) || (purchasedAt.Month == 11 && _rnd.Bool(0.3f));
                    purchase.CouponCode = peak ? _catalog.PeakCoupon : Item(_catalog.Coupons);
                    discount = purchase.CouponCode == "FREESHIP" ? 1m : Item(Discounts);
                }

                var lines = lineCounts.Pick(_rnd);
                var chosen = new HashSet<int>();
                for (var l = 0; l < lines; l++)
                {
                    var picker = _rnd.Bool(0.6f) ? byCategory[Item(profile.FavouriteCategories)] : allProducts;
                    var product = picker.Pick(_rnd).Product;
                    if (!chosen.Add(product.Id))
                    {
                        continue;
                    }

                    var unitPrice = decimal.Round(product.ListPrice * discount, 2, MidpointRounding.AwayFromZero);
                    var quantity = quantities.Pick(_rnd);
                    purchase.Lines.Add(new PurchaseLine
                    {
                        ProductId = product.Id,
                        Quantity = quantity,
                        UnitPrice = unitPrice,
                        Amount = unitPrice * quantity,
                    });
                }

                purchase.Total = purchase.Lines.Sum(line => line.Amount);
                own.Add(purchase);
            }

            // A few orders come back, in part, some days later.
            foreach (var original in own.ToList())
            {
                if (!_rnd.Bool((float)ReturnRate))
                {
                    continue;
                }

                var returnedAt = original.PurchasedAt.AddDays(_rnd.Number(2, 25)).AddMinutes(_rnd.Number(-300, 300));
                if (returnedAt >= _now)
                {
                    continue;
                }

                var line = Item(original.Lines);
                var quantity = -_rnd.Number(1, line.Quantity);
                var refund = new Purchase
                {
                    CustomerId = customer.Id,
                    PurchasedAt = returnedAt,
                    Channel = original.Channel,
                    CreatedAt = returnedAt,
                    CreatedBy = DemoSource,
                };
                refund.Lines.Add(new PurchaseLine
                {
                    ProductId = line.ProductId,
                    Quantity = quantity,
                    UnitPrice = line.UnitPrice,
                    Amount = line.UnitPrice * quantity,
                });
                refund.Total = refund.Lines.Sum(l => l.Amount);
                own.Add(refund);
            }

            purchases.AddRange(own);
        }

        // Ids and order numbers follow time, as they would have in a live system.
        var ordered = purchases.Select((p, i) => (Purchase: p, Index: i))
            .OrderBy(x => x.Purchase.PurchasedAt).ThenBy(x => x.Index)
            .Select(x => x.Purchase);
        var lineId = ids.Line;
        foreach (var purchase in ordered)
        {
            purchase.Id = ids.Purchase + data.Purchases.Count + 1;
            var prefix = purchase.Total < 0 ? "RT" : "SO";
            purchase.OrderNumber = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{purchase.PurchasedAt:yyyyMMdd}-{data.Purchases.Count + 1:000000}");
            foreach (var line in purchase.Lines)
            {
                line.Id = ++lineId;
                line.PurchaseId = purchase.Id;
            }

            data.Purchases.Add(purchase);
        }
    }

    // ---------------------------------------------------------------- events

    private void CreateEvents(DemoDataSet data, DemoIdBase ids, List<Profile> profiles, List<ProductInfo> products, int target)
    {
        var weights = profiles.Select(p => _rnd.Double(0.5, 1.5) * p.Behaviour switch
        {
            DemoBehaviour.Loyal => 2.5,
            DemoBehaviour.Occasional => 1.0,
            DemoBehaviour.Lapsed => 0.7,
            _ => 0.6,
        }).ToArray();
        var scale = target / weights.Sum();
        var productPicker = new Picker<ProductInfo>(products, products.Select(p => p.Popularity));
        string[] types =
        [
            CustomerEventTypes.PageView, CustomerEventTypes.ProductView, CustomerEventTypes.Search,
            CustomerEventTypes.CartAdd, CustomerEventTypes.EmailOpen, CustomerEventTypes.StoreVisit,
        ];

        var events = new List<CustomerEvent>(target + 100);
        var carry = 0.0;
        for (var i = 0; i < profiles.Count; i++)
        {
            var profile = profiles[i];
            var customer = profile.Customer;
            var exact = (weights[i] * scale) + carry;
            var count = (int)exact;
            carry = exact - count;

            var canEmail = customer.Email is not null && customer.EmailConsent != ConsentState.OptedOut;
            var storeWeight = profile.PreferredChannel == PurchaseChannel.Store ? 25 : 6;
            var typePicker = new Picker<string>(types, [32, 24, 10, 9, canEmail ? 15 : 0, storeWeight]);
            for (var n = 0; n < count; n++)
            {
                var type = typePicker.Pick(_rnd);
                var to = profile.LapsedAt is { } lapsed && type != CustomerEventTypes.EmailOpen ? lapsed.AddDays(14) : _now;
                var hours = type == CustomerEventTypes.StoreVisit ? _storeHours : _onlineHours;
                var occurredAt = SampleTime(customer.CreatedAt, to, profile.City.UtcOffsetHours, hours, seasonal: true);
                events.Add(new CustomerEvent
                {
                    CustomerId = customer.Id,
                    Type = type,
                    OccurredAt = occurredAt,
                    Source = type switch
                    {
                        CustomerEventTypes.StoreVisit => "store",
                        CustomerEventTypes.EmailOpen => "email",
                        _ => _rnd.Bool(0.6f) ? "web" : "app",
                    },
                    PropertiesJson = EventProperties(type, profile, productPicker),
                });
            }
        }

        var id = ids.Event;
        foreach (var e in events.Select((e, i) => (Event: e, Index: i)).OrderBy(x => x.Event.OccurredAt).ThenBy(x => x.Index))
        {
            e.Event.Id = ++id;
            data.Events.Add(e.Event);
        }
    }

    private string EventProperties(string type, Profile profile, Picker<ProductInfo> products)
    {
        _jsonBuffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_jsonBuffer, JsonOptions))
        {
            json.WriteStartObject();
            switch (type)
            {
                case CustomerEventTypes.PageView:
                    json.WriteString("path", _rnd.Bool(0.3f)
                        ? "/category/" + Item(_catalog.Products).Sku[..3].ToLowerInvariant()
                        : Item(PagePaths));
                    json.WriteString("referrer", Item(Referrers));
                    break;
                case CustomerEventTypes.ProductView:
                    {
                        var product = products.Pick(_rnd).Product;
                        json.WriteNumber("productId", product.Id);
                        json.WriteString("sku", product.Sku);
                        json.WriteString("category", product.Category);
                        break;
                    }

                case CustomerEventTypes.CartAdd:
                    {
                        var product = products.Pick(_rnd).Product;
                        json.WriteNumber("productId", product.Id);
                        json.WriteString("sku", product.Sku);
                        json.WriteNumber("quantity", _rnd.Bool(0.85f) ? 1 : 2);
                        json.WriteNumber("price", product.ListPrice);
                        break;
                    }

                case CustomerEventTypes.Search:
                    json.WriteString("query", Item(_catalog.SearchTerms));
                    json.WriteNumber("results", _rnd.Number(0, 48));
                    break;
                case CustomerEventTypes.StoreVisit:
                    json.WriteString("store", StoreName(profile.City));
                    json.WriteNumber("minutes", _rnd.Number(5, 75));
                    break;
                default:
                    json.WriteString("campaign", Item(_catalog.Campaigns));
                    json.WriteString("client", Item(EmailClients));
                    break;
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(_jsonBuffer.WrittenSpan);
    }

    private string StoreName(DemoCity city) =>
        _catalog.IsChinese ? city.Name + Item(_catalog.StoreSuffixes) : $"{city.Name} {Item(_catalog.StoreSuffixes)}";

    // ---------------------------------------------------------------- notes

    private void CreateNotes(DemoDataSet data, DemoIdBase ids, List<Profile> profiles, List<ProductInfo> products,
        IReadOnlyList<DemoNoteAuthor> authors, int count)
    {
        if (profiles.Count == 0)
        {
            return;
        }

        var who = new Picker<Profile>(profiles, profiles.Select(p => p.Behaviour switch
        {
            DemoBehaviour.Loyal => 3.0,
            DemoBehaviour.Prospect => 0.5,
            _ => 1.0,
        }));
        var by = authors.Count == 0 ? null : new Picker<DemoNoteAuthor>(authors, authors.Select(a => a.Weight));
        var notes = new List<CustomerNote>(count);
        for (var n = 0; n < count; n++)
        {
            var profile = who.Pick(_rnd);
            var author = by?.Pick(_rnd);
            var body = Item(_catalog.NoteTemplates)
                .Replace("{product}", Item(products).Product.Name, StringComparison.Ordinal)
                .Replace("{city}", profile.City.Name, StringComparison.Ordinal);
            notes.Add(new CustomerNote
            {
                CustomerId = profile.Customer.Id,
                Body = body,
                CreatedAt = SampleTime(profile.Customer.CreatedAt, _now, profile.City.UtcOffsetHours, _officeHours, seasonal: false),
                CreatedByUserId = author?.UserId,
                CreatedByName = author?.Name ?? DemoSource,
            });
        }

        var id = ids.Note;
        foreach (var note in notes.Select((x, i) => (Note: x, Index: i)).OrderBy(x => x.Note.CreatedAt).ThenBy(x => x.Index))
        {
            note.Note.Id = ++id;
            data.Notes.Add(note.Note);
        }
    }

    // ---------------------------------------------------------------- time

    private DateTime RandomBetween(DateTime from, DateTime to) =>
        to <= from ? from : from.AddSeconds(_rnd.Long(0, (long)(to - from).TotalSeconds - 1));

    /// <summary>A UTC instant in [from, to) whose local day follows the seasonal weights and whose
    /// local hour follows <paramref name="hours"/>.</summary>
    private DateTime SampleTime(DateTime from, DateTime to, int utcOffsetHours, Picker<int> hours, bool seasonal)
    {
        if (to <= from)
        {
            return from;
        }

        var offset = TimeSpan.FromHours(utcOffsetHours);
        var firstDay = (from + offset).Date;
        var days = ((to + offset).Date - firstDay).Days;
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var day = firstDay.AddDays(_rnd.Number(0, days));
            if (seasonal && _rnd.Double() * _maxDayWeight > DayWeight(day))
            {
                continue;
            }

            var local = day.AddHours(hours.Pick(_rnd)).AddMinutes(_rnd.Number(0, 59)).AddSeconds(_rnd.Number(0, 59));
            var utc = DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
            if (utc >= from && utc < to)
            {
                return utc;
            }
        }

        return RandomBetween(from, to);
    }

    private double DayWeight(DateTime localDay)
    {
        var weight = localDay.Month switch
        {
            1 => 0.9,
            2 => 0.8,
            3 or 4 => 0.95,
            6 => 1.15,
            7 or 8 => 0.95,
            10 => 1.05,
            11 => 1.5,
            12 => 1.7,
            _ => 1.0,
        };
        weight *= localDay.DayOfWeek switch
        {
            DayOfWeek.Saturday => 1.4,
            DayOfWeek.Sunday => 1.3,
            DayOfWeek.Friday => 1.1,
            _ => 1.0,
        };
        return IsPeakDay(localDay) ? weight * 3 : weight;
    }

    /// <summary>Singles' Day, 618 and Double 12 in China; Black Friday, Cyber Monday and Boxing Day elsewhere.</summary>
    private bool IsPeakDay(DateTime localDay)
    {
        var (month, day) = (localDay.Month, localDay.Day);
        if (_catalog.IsChinese)
        {
            return (month, day) is (11, 11) or (6, 18) or (12, 12);
        }

        var blackFriday = month == 11 && localDay.DayOfWeek == DayOfWeek.Friday && day is >= 23 and <= 29;
        var cyberMonday = localDay.DayOfWeek == DayOfWeek.Monday
            && ((month == 11 && day >= 26) || (month == 12 && day <= 2));
        return blackFriday || cyberMonday || (month, day) is (12, 26);
    }

    private T Item<T>(IReadOnlyList<T> items) => items[_rnd.Number(0, items.Count - 1)];

    private static string LatinOnly(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.Length == 0 ? "user" : builder.ToString();
    }

    /// <summary>Weighted choice by binary search over cumulative weights.</summary>
    private sealed class Picker<T>
    {
        private readonly T[] _items;
        private readonly double[] _cumulative;

        public Picker(IEnumerable<T> items, IEnumerable<double> weights)
        {
            _items = items.ToArray();
            _cumulative = new double[_items.Length];
            var total = 0.0;
            var i = 0;
            foreach (var weight in weights)
            {
                total += weight;
                _cumulative[i++] = total;
            }
        }

        public T Pick(Randomizer rnd)
        {
            // The first item whose cumulative weight exceeds the target; zero-weight items are never chosen.
            var target = rnd.Double() * _cumulative[^1];
            int lo = 0, hi = _items.Length - 1;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (_cumulative[mid] > target)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            return _items[lo];
        }
    }
}
