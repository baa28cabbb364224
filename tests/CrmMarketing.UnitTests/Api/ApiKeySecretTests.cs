using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Api;

namespace CrmMarketing.UnitTests.Api;

public class ApiKeySecretTests
{
    [Fact]
    public void Generate_Key_HasPrefixPublicIdAndHashOfTheWholeKey()
    {
        var (key, keyId, hash) = ApiKeySecret.Generate();

        Assert.Equal(ApiKeySecret.KeyLength, key.Length);
        Assert.StartsWith("crm_" + keyId + "_", key, StringComparison.Ordinal);
        Assert.Equal(ApiKey.KeyIdLength, keyId.Length);
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(ApiKeySecret.Hash(key), hash);
        Assert.DoesNotContain(key[(4 + ApiKey.KeyIdLength + 1)..], hash, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_TwoKeys_DifferInIdAndSecret()
    {
        var first = ApiKeySecret.Generate();
        var second = ApiKeySecret.Generate();

        Assert.NotEqual(first.KeyId, second.KeyId);
        Assert.NotEqual(first.Key[21..], second.Key[21..]);
        Assert.NotEqual(first.Hash, second.Hash);
    }

    [Fact]
    public void Verify_SameKey_IsTrue()
    {
        var (key, _, hash) = ApiKeySecret.Generate();

        Assert.True(ApiKeySecret.Verify(key, hash));
    }

    [Fact]
    public void Verify_OneCharacterChanged_IsFalse()
    {
        var (key, _, hash) = ApiKeySecret.Generate();
        var last = key[^1] == 'A' ? 'B' : 'A';

        Assert.False(ApiKeySecret.Verify(key[..^1] + last, hash));
        Assert.False(ApiKeySecret.Verify(key + "x", hash));
        Assert.False(ApiKeySecret.Verify(string.Empty, hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-hex")]
    [InlineData("abcd")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public void Verify_MalformedStoredHash_IsFalseNotAnException(string storedHash)
    {
        var (key, _, _) = ApiKeySecret.Generate();

        Assert.False(ApiKeySecret.Verify(key, storedHash));
    }

    [Fact]
    public void TryGetKeyId_WellFormedKey_ReturnsTheId()
    {
        var (key, keyId, _) = ApiKeySecret.Generate();

        Assert.Equal(keyId, ApiKeySecret.TryGetKeyId(key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("crm_")]
    [InlineData("Bearer something")]
    [InlineData("xyz_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("crm_0123456789ABCDEF_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("crm_0123456789abcdef-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("crm_0123456789abcdef_AAAA")]
    public void TryGetKeyId_MalformedKey_ReturnsNull(string? key)
    {
        Assert.Null(ApiKeySecret.TryGetKeyId(key));
    }
}
