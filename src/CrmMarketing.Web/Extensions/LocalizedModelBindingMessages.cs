using CrmMarketing.Web.Resources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Extensions;

/// <summary>Model-binding messages ("The value 'x' is not valid for Quantity") in the request's language.</summary>
public sealed class LocalizedModelBindingMessages(IStringLocalizerFactory factory) : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions options)
    {
        var l = factory.Create(typeof(SharedResource));
        var m = options.ModelBindingMessageProvider;
        m.SetAttemptedValueIsInvalidAccessor((value, field) => l["The value '{0}' is not valid for {1}.", value, field]);
        m.SetMissingBindRequiredValueAccessor(field => l["A value for the '{0}' parameter or property was not provided.", field]);
        m.SetMissingKeyOrValueAccessor(() => l["A value is required."]);
        m.SetMissingRequestBodyRequiredValueAccessor(() => l["A non-empty request body is required."]);
        m.SetNonPropertyAttemptedValueIsInvalidAccessor(value => l["The value '{0}' is not valid.", value]);
        m.SetNonPropertyUnknownValueIsInvalidAccessor(() => l["The supplied value is invalid."]);
        m.SetNonPropertyValueMustBeANumberAccessor(() => l["The field must be a number."]);
        m.SetUnknownValueIsInvalidAccessor(field => l["The supplied value is invalid for {0}.", field]);
        m.SetValueIsInvalidAccessor(value => l["The value '{0}' is invalid.", value]);
        m.SetValueMustBeANumberAccessor(field => l["The field {0} must be a number.", field]);
        m.SetValueMustNotBeNullAccessor(value => l["The value '{0}' is invalid.", value]);
    }
}
