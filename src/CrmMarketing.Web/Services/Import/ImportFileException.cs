namespace CrmMarketing.Web.Services.Import;

/// <summary>The file cannot be read as CSV. <see cref="Exception.Message"/> is an English text that is also the
/// localisation key; <see cref="Args"/> are its format arguments.</summary>
public sealed class ImportFileException(string message, params object[] args) : Exception(message)
{
    public IReadOnlyList<object> Args { get; } = args;
}
