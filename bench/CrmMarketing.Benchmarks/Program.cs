using CrmMarketing.Benchmarks;

const string Usage = """
    Usage:
      CrmMarketing.Benchmarks generate --customers N --purchases N --out FILE [--seed N]
          Builds a SQLite database with the app's schema (its EF migrations) and bulk-loaded data.
      CrmMarketing.Benchmarks list --db FILE [--iterations N] [--warmup N] [--plans]
          Times CustomerService.ListAsync against hand-written SQL on the same file.
          --plans also prints EXPLAIN QUERY PLAN for the service's and the baseline's statements.
      CrmMarketing.Benchmarks analytics --db FILE [--iterations N] [--warmup N] [--only dashboard,cohorts,rfm,habits]
          Times the dashboard (one-year range), the cohort table, the RFM recompute and the purchase habits through
          the app's services against hand-written SQL on the same file, alternating the two, and checks that the
          results are equal. Applies pending migrations to FILE first (then ANALYZE), and rewrites its RFM scores.
      CrmMarketing.Benchmarks recommend [--customers N] [--top N] [--out FILE]
          Seeds the deterministic demo data into FILE, holds out each customer's last order and reports the hit
          rate of the co-purchase recommendations against a most-popular baseline; fails unless they beat it.
      CrmMarketing.Benchmarks dispatch [--messages N] [--connections N] [--batch N]
          Enqueues N personalised emails (default 10,000) and times the outbox dispatcher sending them to a
          prompt in-process SMTP sink, against a plain MailKit loop over the same connections (default 2).
      CrmMarketing.Benchmarks segment --db FILE [--iterations N] [--warmup N] [--plans]
          Times a three-condition segment preview through SegmentService against hand-written SQL (read-only).
      CrmMarketing.Benchmarks feedback --db FILE [--rows N] [--iterations N] [--seed N] [--reuse]
          Loads N feedback rows (default 1,000,000), RFM segments and six saved segments into a generated
          database, then times NPS/CSAT by month, by RFM segment and by saved segment through
          FeedbackAnalyticsService against hand-written SQL.
          --reuse keeps the rows of an earlier run when their count matches.
      CrmMarketing.Benchmarks campaign-metrics --db FILE [--recipients N] [--iterations N] [--warmup N]
          Adds an email activity with N recipients (default 100,000; 10 % holdout), its messages and events and a
          later reminder to a third of them to a generated database (replacing those of an earlier run), then times
          CampaignMetricsService against hand-written SQL computing the same numbers and checks that they match.
      CrmMarketing.Benchmarks import [--rows N[,N…]] [--dir DIR] [--batch N]
          Imports generated customer rows (default 100000,1000000) through the import service and with raw
          prepared inserts of the same rows and columns on fresh databases, then exports each imported database
          through CustomerExportService. Prints rows/s, the ratio, peak memory and the import's time per section.
      CrmMarketing.Benchmarks launch --db FILE [--recipients N] [--iterations N]
          On copies of a generated database: opts N customers in (default 100,000), makes a segment of all
          customers and times launching an email activity to it through CampaignLaunchService (snapshot, holdout,
          render, batched enqueue) against a hand-written INSERT … SELECT doing the same; checks the counts match.
    """;

try
{
    return args.Length == 0 ? Fail("No command given.") : args[0] switch
    {
        "generate" => await GenerateAsync(Arguments.Parse(args[1..], ["--customers", "--purchases", "--out", "--seed"], [])),
        "dispatch" => await DispatchAsync(Arguments.Parse(args[1..], ["--messages", "--connections", "--batch"], [])),
        "launch" => await LaunchAsync(Arguments.Parse(args[1..], ["--db", "--recipients", "--iterations"], [])),
        "segment" => await SegmentAsync(Arguments.Parse(args[1..], ["--db", "--iterations", "--warmup"], ["--plans"])),
        "feedback" => await FeedbackAsync(Arguments.Parse(args[1..], ["--db", "--rows", "--iterations", "--seed"], ["--reuse"])),
        "campaign-metrics" => await CampaignMetricsAsync(Arguments.Parse(args[1..], ["--db", "--recipients", "--iterations", "--warmup"], [])),
        "import" => await ImportAsync(Arguments.Parse(args[1..], ["--rows", "--dir", "--batch"], [])),
        "list" => await ListAsync(Arguments.Parse(args[1..], ["--db", "--iterations", "--warmup"], ["--plans"])),
        "analytics" => await AnalyticsAsync(Arguments.Parse(args[1..], ["--db", "--iterations", "--warmup", "--only"], [])),
        "recommend" => await RecommendAsync(Arguments.Parse(args[1..], ["--customers", "--top", "--out"], [])),
        "-h" or "--help" or "help" => Help(),
        _ => Fail($"Unknown command '{args[0]}'."),
    };
}
catch (UsageException e)
{
    return Fail(e.Message);
}

static async Task<int> GenerateAsync(Arguments a)
{
    var options = new GeneratorOptions(
        Customers: a.RequiredInt("--customers", min: 1),
        Purchases: a.RequiredInt("--purchases", min: 0),
        OutputPath: a.Required("--out"),
        Seed: a.OptionalInt("--seed", min: 0) ?? 42);
    await new Generator(options, Console.Out).RunAsync(CancellationToken.None);
    return 0;
}

static async Task<int> ListAsync(Arguments a)
{
    var path = a.Required("--db");
    if (!File.Exists(path))
    {
        throw new UsageException($"Database file '{path}' does not exist (create it with 'generate').");
    }

    var options = new ListBenchmarkOptions(
        DatabasePath: path,
        Iterations: a.OptionalInt("--iterations", min: 1) ?? 50,
        Warmup: a.OptionalInt("--warmup", min: 0) ?? 5,
        ShowPlans: a.Flag("--plans"));
    try
    {
        await new ListBenchmark(options, Console.Out).RunAsync(CancellationToken.None);
        return 0;
    }
    catch (BenchmarkFailedException e)
    {
        Console.Error.WriteLine("FAILED: " + e.Message);
        return 1;
    }
}

static async Task<int> AnalyticsAsync(Arguments a)
{
    var path = a.Required("--db");
    if (!File.Exists(path))
    {
        throw new UsageException($"Database file '{path}' does not exist (create it with 'generate').");
    }

    var only = (a.OptionalString("--only") ?? string.Join(',', AnalyticsBenchmark.Scenarios))
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    if (only.Length == 0 || only.Any(s => !AnalyticsBenchmark.Scenarios.Contains(s)))
    {
        throw new UsageException($"--only takes a comma-separated list of {string.Join(", ", AnalyticsBenchmark.Scenarios)}.");
    }

    var options = new AnalyticsBenchmarkOptions(path, a.OptionalInt("--iterations", min: 1) ?? 5, a.OptionalInt("--warmup", min: 0) ?? 1, only);
    try
    {
        await new AnalyticsBenchmark(options, Console.Out).RunAsync(CancellationToken.None);
        return 0;
    }
    catch (BenchmarkFailedException e)
    {
        Console.Error.WriteLine("FAILED: " + e.Message);
        return 1;
    }
}

static async Task<int> RecommendAsync(Arguments a)
{
    var options = new RecommendationEvaluationOptions(
        a.OptionalString("--out") ?? "bench-data/recommend-eval.db",
        a.OptionalInt("--customers", min: 10) ?? 5_000,
        a.OptionalInt("--top", min: 1) ?? 5);
    if (await new RecommendationEvaluation(options, Console.Out).RunAsync(CancellationToken.None))
    {
        return 0;
    }

    Console.Error.WriteLine("FAILED: the co-purchase recommendations do not beat the most-popular baseline.");
    return 1;
}

static async Task<int> DispatchAsync(Arguments a)
{
    var options = new DispatchBenchmarkOptions(
        Messages: a.OptionalInt("--messages", min: 1) ?? 10_000,
        Connections: a.OptionalInt("--connections", min: 1) ?? 2,
        BatchSize: a.OptionalInt("--batch", min: 1) ?? 500);
    return await new DispatchBenchmark(options, Console.Out).RunAsync(CancellationToken.None) ? 0 : 1;
}

static async Task<int> LaunchAsync(Arguments a)
{
    var path = a.Required("--db");
    if (!File.Exists(path))
    {
        throw new UsageException($"Database file '{path}' does not exist (create it with 'generate').");
    }

    var options = new LaunchBenchmarkOptions(path, a.OptionalInt("--recipients", min: 1) ?? 100_000, a.OptionalInt("--iterations", min: 1) ?? 1);
    try
    {
        await new LaunchBenchmark(options, Console.Out).RunAsync(CancellationToken.None);
        return 0;
    }
    catch (BenchmarkFailedException e)
    {
        Console.Error.WriteLine("FAILED: " + e.Message);
        return 1;
    }
}

static async Task<int> SegmentAsync(Arguments a)
{
    var path = a.Required("--db");
    if (!File.Exists(path))
    {
        throw new UsageException($"Database file '{path}' does not exist (create it with 'generate').");
    }

    var options = new SegmentBenchmarkOptions(path, a.OptionalInt("--iterations", min: 1) ?? 30, a.OptionalInt("--warmup", min: 0) ?? 3, a.Flag("--plans"));
    try
    {
        await new SegmentBenchmark(options, Console.Out).RunAsync(CancellationToken.None);
        return 0;
    }
    catch (BenchmarkFailedException e)
    {
        Console.Error.WriteLine("FAILED: " + e.Message);
        return 1;
    }
}

static async Task<int> CampaignMetricsAsync(Arguments a)
{
    var path = a.Required("--db");
    if (!File.Exists(path))
    {
        throw new UsageException($"Database file '{path}' does not exist (create it with 'generate').");
    }

    var options = new CampaignMetricsBenchmarkOptions(path, a.OptionalInt("--recipients", min: 100) ?? 100_000,
        a.OptionalInt("--iterations", min: 1) ?? 9, a.OptionalInt("--warmup", min: 0) ?? 2);
    try
    {
        await new CampaignMetricsBenchmark(options, Console.Out).RunAsync(CancellationToken.None);
        return 0;
    }
    catch (BenchmarkFailedException e)
    {
        Console.Error.WriteLine("FAILED: " + e.Message);
        return 1;
    }
}

static async Task<int> FeedbackAsync(Arguments a)
{
    var path = a.Required("--db");
    if (!File.Exists(path))
    {
        throw new UsageException($"Database file '{path}' does not exist (create it with 'generate').");
    }

    var options = new FeedbackBenchmarkOptions(
        DatabasePath: path,
        Rows: a.OptionalInt("--rows", min: 1) ?? 1_000_000,
        Iterations: a.OptionalInt("--iterations", min: 1) ?? 7,
        Seed: a.OptionalInt("--seed", min: 0) ?? 42,
        Reuse: a.Flag("--reuse"));
    try
    {
        await new FeedbackBenchmark(options, Console.Out).RunAsync(CancellationToken.None);
        return 0;
    }
    catch (BenchmarkFailedException e)
    {
        Console.Error.WriteLine("FAILED: " + e.Message);
        return 1;
    }
}

static async Task<int> ImportAsync(Arguments a)
{
    var rows = a.Optional("--rows") ?? "100000,1000000";
    var sizes = rows.Split(',').Select(r => int.TryParse(r, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
        ? n : throw new UsageException($"--rows must be whole numbers > 0, not '{r}'.")).ToList();
    var options = new ImportBenchmarkOptions(sizes, a.Optional("--dir") ?? "bench-data/import", a.OptionalInt("--batch", min: 1) ?? 2_000);
    try
    {
        await new ImportBenchmark(options, Console.Out).RunAsync(CancellationToken.None);
        return 0;
    }
    catch (BenchmarkFailedException e)
    {
        Console.Error.WriteLine("FAILED: " + e.Message);
        return 1;
    }
}

static int Help()
{
    Console.WriteLine(Usage);
    return 0;
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    Console.Error.WriteLine(Usage);
    return 2;
}
