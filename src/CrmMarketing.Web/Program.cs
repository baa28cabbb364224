using CrmMarketing.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddCrmOptions();
builder.AddCrmData();
builder.AddCrmIdentity();
builder.AddCrmWeb();
builder.AddCrmServices();
builder.AddCrmMessaging();
builder.AddCrmPrivacy();
builder.AddCrmApi();
builder.AddCrmFeedback();
builder.AddCrmCampaigns();

var app = builder.Build();

await app.PrepareDatabaseAsync(args);

app.UseCrmPipeline();
app.MapCrmEndpoints();

await app.RunAsync();

/// <summary>Entry point; public so that WebApplicationFactory&lt;Program&gt; can reach it.</summary>
public partial class Program;
