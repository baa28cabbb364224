using CrmMarketing.Web.Options;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Import;

/// <summary>Uploaded import files on disk, under <see cref="ImportOptions.Directory"/>.</summary>
public sealed class ImportFileStore(IOptions<ImportOptions> options, IHostEnvironment environment)
{
    public string Root
    {
        get
        {
            var directory = options.Value.Directory;
            return Path.IsPathRooted(directory) ? directory : Path.Combine(environment.ContentRootPath, directory);
        }
    }

    /// <summary>Copies the upload to a new file with a random name and returns that name. Nothing is kept in memory
    /// beyond the copy buffer.</summary>
    public async Task<string> SaveAsync(Stream upload, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Root);
        var name = $"{Guid.NewGuid():N}.csv";
        var path = Path.Combine(Root, name);
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await upload.CopyToAsync(file, 81920, ct);
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        return name;
    }

    public Stream OpenRead(string storedName) =>
        new FileStream(PathOf(storedName), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);

    public bool Exists(string storedName) => File.Exists(PathOf(storedName));

    public void Delete(string storedName) => File.Delete(PathOf(storedName));

    private string PathOf(string storedName)
    {
        // Stored names are generated here; anything else is a bug, not a path to follow.
        if (storedName.Length != 36 || !storedName.EndsWith(".csv", StringComparison.Ordinal) || storedName[..32].Any(c => !char.IsAsciiHexDigitLower(c)))
        {
            throw new ArgumentException("Not a stored import file name.", nameof(storedName));
        }

        return Path.Combine(Root, storedName);
    }
}
