using CrmMarketing.Benchmarks;

const string Usage = """
    Usage:
      CrmMarketing.Benchmarks generate --customers N --purchases N --out FILE [--seed N]
          Builds a SQLite database with the app's schema (its EF migrations) and bulk-loaded data.
      CrmMarketing.Benchmarks list --db FILE [--iterations N] [--warmup N] [--plans]
          Times CustomerService.ListAsync against hand-written SQL on the same file.
          --plans also prints EXPLAIN QUERY PLAN for the service's and the baseline's statements.
      CrmMarketing.Benchmarks import [--rows N[,N…]] [--dir DIR] [--batch N]
          Imports generated customer rows (default 100000,1000000) through the import service and with raw
          prepared inserts on fresh databases, then exports the largest through CustomerExportService.
    """;

try
{
    return args.Length == 0 ? Fail("No command given.") : args[0] switch
    {
        "generate" => await GenerateAsync(Arguments.Parse(args[1..], ["--customers", "--purchases", "--out", "--seed"], [])),
        "list" => await ListAsync(Arguments.Parse(args[1..], ["--db", "--iterations", "--warmup"], ["--plans"])),
        "import" => await ImportAsync(Arguments.Parse(args[1..], ["--rows", "--dir", "--batch"], [])),
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
