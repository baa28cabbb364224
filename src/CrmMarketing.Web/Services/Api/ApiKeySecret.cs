using System.Security.Cryptography;
using System.Text;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.Services.Api;

/// <summary>The text of an API key: <c>crm_</c>, a 16-hex-digit public id for lookup, <c>_</c>, and 256 random
/// bits in base64url. Only the SHA-256 of the whole text is stored; a fast hash is enough because the secret
/// has full entropy (nothing to guess from a dictionary), unlike a password.</summary>
public static class ApiKeySecret
{
    public const string Prefix = "crm_";
    private const int SecretBytes = 32;

    /// <summary>base64url of 32 bytes, without padding.</summary>
    private const int SecretLength = 43;

    public const int KeyLength = 4 + ApiKey.KeyIdLength + 1 + SecretLength;

    /// <summary>A new key: the text to hand out once, its public id and the hash to store.</summary>
    public static (string Key, string KeyId, string Hash) Generate()
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(ApiKey.KeyIdLength / 2));
        var secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        var key = Prefix + keyId + "_" + secret;
        return (key, keyId, Hash(key));
    }

    /// <summary>The public id of a well-formed key, or null. Says nothing about whether the key is valid.</summary>
    public static string? TryGetKeyId(string? key)
    {
        if (key is null || key.Length != KeyLength || !key.StartsWith(Prefix, StringComparison.Ordinal)
            || key[Prefix.Length + ApiKey.KeyIdLength] != '_')
        {
            return null;
        }

        var keyId = key.Substring(Prefix.Length, ApiKey.KeyIdLength);
        return keyId.All(char.IsAsciiHexDigitLower) ? keyId : null;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Compares the key's hash with the stored one in time independent of where they differ.</summary>
    public static bool Verify(string key, string storedHash)
    {
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        if (storedHash.Length != SHA256.HashSizeInBytes * 2
            || Convert.FromHexString(storedHash, expected, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != expected.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
