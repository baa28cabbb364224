using CrmMarketing.Web.Services.Customers;

namespace CrmMarketing.UnitTests;

public class ContactNormalizerTests
{
    [Theory]
    [InlineData("13812345678", "+8613812345678")]
    [InlineData("138 1234 5678", "+8613812345678")]
    [InlineData("+86 138-1234-5678", "+8613812345678")]
    [InlineData("008613812345678", "+8613812345678")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData("+1 (650) 253-0000", "+16502530000")]
    public void NormalizePhone_ValidNumbers_ReturnsE164(string input, string expected) =>
        Assert.Equal(expected, ContactNormalizer.NormalizePhone(input));

    [Theory]
    [InlineData("12345")]
    [InlineData("1381234567")]
    [InlineData("abc")]
    [InlineData("+999 1234")]
    public void NormalizePhone_InvalidNumbers_ReturnsNull(string input) =>
        Assert.Null(ContactNormalizer.NormalizePhone(input));

    [Theory]
    [InlineData(" Wang.Fang@Example.COM ", "wang.fang@example.com")]
    [InlineData("a+tag@sub.example.cn", "a+tag@sub.example.cn")]
    public void NormalizeEmail_Valid_ReturnsLowerCaseTrimmed(string input, string expected) =>
        Assert.Equal(expected, ContactNormalizer.NormalizeEmail(input));

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("two@@example.com")]
    [InlineData("user@localhost")]
    [InlineData("Name <user@example.com>")]
    [InlineData("user@exa mple.com")]
    public void NormalizeEmail_Invalid_ReturnsNull(string input) =>
        Assert.Null(ContactNormalizer.NormalizeEmail(input));

    [Theory]
    [InlineData("138123", "+86138123")]
    [InlineData("138 1234 5678", "+8613812345678")]
    [InlineData("021 6123", "+86216123")]
    [InlineData("+44 20", "+4420")]
    [InlineData("0044 20", "+4420")]
    [InlineData("8613812345678", "+8613812345678")]
    public void PhoneSearchPrefix_ReadsNumbersLikeTheForms(string term, string expected) =>
        Assert.Equal(expected, ContactNormalizer.PhoneSearchPrefix(term));

    [Fact]
    public void PhoneSearchPrefix_UnderThreeDigits_IsNull() =>
        Assert.Null(ContactNormalizer.PhoneSearchPrefix("1 3"));

    [Theory]
    [InlineData("13812345678")]
    [InlineData("+44 20 7946 0958")]
    [InlineData("0044 20 7946 0958")]
    public void PhoneSearchPrefix_WholeNumber_EqualsTheStoredForm(string typed) =>
        Assert.Equal(ContactNormalizer.NormalizePhone(typed), ContactNormalizer.PhoneSearchPrefix(typed));
}
