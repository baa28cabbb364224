using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CrmMarketing.Web.Services.Import;

/// <summary>One prepared statement whose parameters are reassigned for every row, written the way EF Core's SQLite
/// provider and the model's converters store values (dates as text, money as ten-thousandths, enums as integers).</summary>
internal sealed class SqliteRowWriter : IDisposable
{
    public const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    private SqliteRowWriter(SqliteConnection connection, SqliteTransaction transaction, string sql, int parameterCount)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = sql;
        _parameters = new SqliteParameter[parameterCount];
        for (var i = 0; i < parameterCount; i++)
        {
            _parameters[i] = _command.Parameters.Add($"$p{i}", SqliteType.Text);
            _parameters[i].Value = DBNull.Value;
        }

        _command.Prepare();
    }

    /// <summary>INSERT of the given columns. <paramref name="returnId"/> says whether callers need the new row's id
    /// (<see cref="ExecuteReturningId"/>); it is read from the connection, which costs less than a RETURNING reader.</summary>
    public static SqliteRowWriter Insert(SqliteConnection connection, SqliteTransaction transaction, string table, bool returnId, params string[] columns) =>
        new(connection, transaction,
            $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))});",
            columns.Length);

    /// <summary>UPDATE of the given columns of the row whose id is the last parameter.</summary>
    public static SqliteRowWriter Update(SqliteConnection connection, SqliteTransaction transaction, string table, params string[] columns) =>
        new(connection, transaction,
            $"UPDATE \"{table}\" SET {string.Join(", ", columns.Select((c, i) => $"\"{c}\" = $p{i}"))} WHERE \"Id\" = $p{columns.Length};",
            columns.Length + 1);

    public static SqliteRowWriter Sql(SqliteConnection connection, SqliteTransaction transaction, string sql, int parameterCount) =>
        new(connection, transaction, sql, parameterCount);

    public int Execute(params ReadOnlySpan<object?> values)
    {
        Bind(values);
        return _command.ExecuteNonQuery();
    }

    /// <summary>Runs an INSERT and returns the id SQLite gave the row (its rowid: every table written here has an
    /// INTEGER PRIMARY KEY "Id").</summary>
    public long ExecuteReturningId(params ReadOnlySpan<object?> values)
    {
        Bind(values);
        if (_command.ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException("The insert did not add a row.");
        }

        return SQLitePCL.raw.sqlite3_last_insert_rowid(_command.Connection!.Handle);
    }

    public static string? Text(DateTime? value) => value?.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    public static string? Text(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private void Bind(ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = _parameters[i];
            switch (values[i])
            {
                case null:
                    parameter.SqliteType = SqliteType.Text;
                    parameter.Value = DBNull.Value;
                    break;
                case string s:
                    parameter.SqliteType = SqliteType.Text;
                    parameter.Value = s;
                    break;
                case bool b:
                    parameter.SqliteType = SqliteType.Integer;
                    parameter.Value = b ? 1L : 0L;
                    break;
                case DateTime d:
                    parameter.SqliteType = SqliteType.Text;
                    parameter.Value = Text(d);
                    break;
                case DateOnly d:
                    parameter.SqliteType = SqliteType.Text;
                    parameter.Value = Text(d);
                    break;
                case Enum e:
                    parameter.SqliteType = SqliteType.Integer;
                    parameter.Value = Convert.ToInt64(e, CultureInfo.InvariantCulture);
                    break;
                case var number:
                    parameter.SqliteType = SqliteType.Integer;
                    parameter.Value = number;
                    break;
            }
        }
    }

    public void Dispose() => _command.Dispose();
}
