using CrmMarketing.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmMarketing.IntegrationTests.Messaging;

public sealed class DataProtectionConfigurationTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    [Fact]
    public void KeyManagement_NewKeys_UseAes256Gcm()
    {
        var options = factory.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value;

        var configuration = Assert.IsType<AuthenticatedEncryptorConfiguration>(options.AuthenticatedEncryptorConfiguration);
        Assert.Equal(EncryptionAlgorithm.AES_256_GCM, configuration.EncryptionAlgorithm);
    }
}
