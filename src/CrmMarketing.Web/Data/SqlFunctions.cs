using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmMarketing.Web.Data;

/// <summary>SQL functions used in LINQ queries where EF has no translation of its own.</summary>
public static class SqlFunctions
{
    /// <summary>"yyyy-MM" of a UTC time shifted by a SQLite modifier such as "+480 minutes":
    /// <c>strftime('%Y-%m', at, modifier)</c>, one call per row instead of separate year and month extractions.</summary>
    public static string MonthKey(DateTime at, string modifier) =>
        throw new InvalidOperationException("MonthKey is translated to SQL and cannot run in memory.");

    public static void Register(ModelBuilder builder)
    {
        builder.HasDbFunction(typeof(SqlFunctions).GetMethod(nameof(MonthKey), [typeof(DateTime), typeof(string)])!)
            .HasTranslation(args =>
            {
                var text = new StringTypeMapping("TEXT", System.Data.DbType.String);
                return new SqlFunctionExpression("strftime",
                    [new SqlConstantExpression("%Y-%m", text), args[0], args[1]],
                    nullable: true, argumentsPropagateNullability: [false, true, false], typeof(string), text);
            });
    }
}
