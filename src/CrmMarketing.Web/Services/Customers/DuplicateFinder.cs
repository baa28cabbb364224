using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.ViewModels.Duplicates;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Customers;

/// <summary>Finds customers that are probably the same person: the same normalised email, the same E.164 phone,
/// or a similar name in the same city. Candidate pairs come from SQL joins on indexed keys (blocking); only those
/// pairs are scored in memory, never every pair of customers. See docs/privacy.md.</summary>
public sealed class DuplicateFinder(CrmDbContext db, TimeProvider time, AuditService audit)
{
    public const int QueueSize = 100;

    /// <summary>Name pairs scored per scan at most; the blocking keeps real data far below this.</summary>
    public const int MaxNameCandidates = 200_000;

    /// <summary>Pairs with the same email or phone read per scan at most.</summary>
    public const int MaxContactPairs = 10_000;

    /// <summary>Names at least this similar (Jaro-Winkler) in the same city are candidates.</summary>
    public const double NameThreshold = 0.88;

    public const double EmailWeight = 0.95;
    public const double PhoneWeight = 0.90;

    /// <summary>A name pair at the threshold scores this; identical names score <see cref="NameWeightMax"/>.</summary>
    public const double NameWeightMin = 0.50;
    public const double NameWeightMax = 0.80;

    public async Task<DuplicateQueueViewModel> FindAsync(CancellationToken ct)
    {
        var pairs = new Dictionary<(int, int), Candidate>();
        var live = db.Customers.AsNoTracking().Where(c => c.ErasedAt == null);

        var emailPairs = await (
                from a in live
                join b in live on a.EmailKey equals b.EmailKey
                where a.EmailKey != null && a.Id < b.Id
                select new { A = a.Id, B = b.Id })
            .Take(MaxContactPairs).ToListAsync(ct);
        foreach (var p in emailPairs)
        {
            Get(pairs, p.A, p.B).Email = true;
        }

        var phonePairs = await (
                from a in live
                join b in live on a.Phone equals b.Phone
                where a.Phone != null && a.Id < b.Id
                select new { A = a.Id, B = b.Id })
            .Take(MaxContactPairs).ToListAsync(ct);
        foreach (var p in phonePairs)
        {
            Get(pairs, p.A, p.B).Phone = true;
        }

        // Blocking: same city and the same first letter of the normalised name (for Chinese names, the family name),
        // with lengths at most two apart. Only these pairs are compared.
        var namePairs = (
                from a in live
                join b in live on new { a.City, First = a.NameKey.Substring(0, 1) } equals new { b.City, First = b.NameKey.Substring(0, 1) }
                where a.City != null && a.Id < b.Id && a.NameKey.Length - b.NameKey.Length <= 2 && b.NameKey.Length - a.NameKey.Length <= 2
                select new { A = a.Id, B = b.Id, NameA = a.NameKey, NameB = b.NameKey })
            .Take(MaxNameCandidates).AsAsyncEnumerable();
        await foreach (var p in namePairs.WithCancellation(ct))
        {
            var similarity = NameSimilarity(p.NameA, p.NameB);
            if (similarity >= NameThreshold)
            {
                Get(pairs, p.A, p.B).Name = similarity;
            }
        }

        var dismissed = await DismissedAmongAsync(pairs.Keys, ct);
        var ranked = pairs.Where(p => !dismissed.Contains(p.Key))
            .Select(p => (p.Key, p.Value, Score: Score(p.Value.Email, p.Value.Phone, p.Value.Name)))
            .OrderByDescending(p => p.Score).ThenBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2)
            .ToList();
        var top = ranked.Take(QueueSize).ToList();

        var ids = top.SelectMany(p => new[] { p.Key.Item1, p.Key.Item2 }).Distinct().ToList();
        var sides = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new DuplicateSide(c.Id, c.Name, c.Email, c.Phone, c.City, c.IsArchived, c.OrderCount))
            .ToDictionaryAsync(c => c.Id, ct);

        // Name similarity is shown for every pair, also those found by email or phone.
        return new DuplicateQueueViewModel
        {
            Pairs = top.Select(p => new DuplicatePairViewModel(sides[p.Key.Item1], sides[p.Key.Item2], p.Score, p.Value.Reasons(),
                p.Value.Name ?? NameSimilarity(Customer.KeyOf(sides[p.Key.Item1].Name), Customer.KeyOf(sides[p.Key.Item2].Name)))).ToList(),
            Truncated = ranked.Count > QueueSize,
        };
    }

    /// <summary>Combines the signals as independent evidence: 1 − Π(1 − wᵢ).</summary>
    public static double Score(bool sameEmail, bool samePhone, double? nameSimilarity)
    {
        var miss = 1.0;
        if (sameEmail)
        {
            miss *= 1 - EmailWeight;
        }

        if (samePhone)
        {
            miss *= 1 - PhoneWeight;
        }

        if (nameSimilarity is { } s && s >= NameThreshold)
        {
            var weight = NameWeightMin + ((s - NameThreshold) / (1 - NameThreshold) * (NameWeightMax - NameWeightMin));
            miss *= 1 - weight;
        }

        return Math.Round(1 - miss, 4);
    }

    /// <summary>Jaro-Winkler similarity (0–1) of two names, compared without case, spaces or punctuation.</summary>
    public static double NameSimilarity(string a, string b)
    {
        var s = Letters(a);
        var t = Letters(b);
        if (s.Length == 0 || t.Length == 0)
        {
            return 0;
        }

        if (string.Equals(s, t, StringComparison.Ordinal))
        {
            return 1;
        }

        var window = Math.Max(0, (Math.Max(s.Length, t.Length) / 2) - 1);
        var sMatched = new bool[s.Length];
        var tMatched = new bool[t.Length];
        var matches = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var from = Math.Max(0, i - window);
            var to = Math.Min(t.Length - 1, i + window);
            for (var j = from; j <= to; j++)
            {
                if (!tMatched[j] && s[i] == t[j])
                {
                    sMatched[i] = tMatched[j] = true;
                    matches++;
                    break;
                }
            }
        }

        if (matches == 0)
        {
            return 0;
        }

        var transpositions = 0;
        for (int i = 0, k = 0; i < s.Length; i++)
        {
            if (!sMatched[i])
            {
                continue;
            }

            while (!tMatched[k])
            {
                k++;
            }

            if (s[i] != t[k])
            {
                transpositions++;
            }

            k++;
        }

        double m = matches;
        var jaro = ((m / s.Length) + (m / t.Length) + ((m - (transpositions / 2.0)) / m)) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(s.Length, t.Length)) && s[prefix] == t[prefix])
        {
            prefix++;
        }

        return jaro + (prefix * 0.1 * (1 - jaro));
    }

    private static string Letters(string value) =>
        new(value.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>Marks a pair as "not a duplicate" for good; the finder skips it from then on.</summary>
    public async Task<bool> DismissAsync(int firstId, int secondId, Actor actor, CancellationToken ct)
    {
        if (firstId == secondId)
        {
            return false;
        }

        var (low, high) = firstId < secondId ? (firstId, secondId) : (secondId, firstId);
        if (await db.Customers.CountAsync(c => c.Id == low || c.Id == high, ct) != 2)
        {
            return false;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.DuplicateDismissals.AnyAsync(d => d.FirstCustomerId == low && d.SecondCustomerId == high, ct))
        {
            db.DuplicateDismissals.Add(new DuplicateDismissal
            {
                FirstCustomerId = low,
                SecondCustomerId = high,
                DismissedAt = time.GetUtcNow().UtcDateTime,
                DismissedBy = actor.Name,
            });
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync(AuditActions.DuplicateDismissed, AuditEntityTypes.Customer, Key(low),
                [new AuditChange("NotDuplicateOf", null, Key(high))], ct, actor.ForAudit());
        }

        await tx.CommitAsync(ct);
        return true;
    }

    private async Task<HashSet<(int, int)>> DismissedAmongAsync(IEnumerable<(int, int)> pairs, CancellationToken ct)
    {
        var lows = pairs.Select(p => p.Item1).Distinct().ToList();
        var result = new HashSet<(int, int)>();
        foreach (var chunk in lows.Chunk(500))
        {
            var rows = await db.DuplicateDismissals.AsNoTracking().Where(d => chunk.Contains(d.FirstCustomerId))
                .Select(d => new { d.FirstCustomerId, d.SecondCustomerId }).ToListAsync(ct);
            result.UnionWith(rows.Select(r => (r.FirstCustomerId, r.SecondCustomerId)));
        }

        return result;
    }

    private static Candidate Get(Dictionary<(int, int), Candidate> pairs, int a, int b)
    {
        if (!pairs.TryGetValue((a, b), out var candidate))
        {
            candidate = new Candidate();
            pairs[(a, b)] = candidate;
        }

        return candidate;
    }

    private static string Key(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Candidate
    {
        public bool Email { get; set; }
        public bool Phone { get; set; }
        public double? Name { get; set; }

        public IReadOnlyList<DuplicateReason> Reasons()
        {
            var reasons = new List<DuplicateReason>();
            if (Email)
            {
                reasons.Add(DuplicateReason.SameEmail);
            }

            if (Phone)
            {
                reasons.Add(DuplicateReason.SamePhone);
            }

            if (Name is not null)
            {
                reasons.Add(DuplicateReason.SimilarName);
            }

            return reasons;
        }
    }
}
