using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmMarketing.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CampaignExecution : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AbDecidedAt",
                table: "MarketingActivities",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AbTestHours",
                table: "MarketingActivities",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AbTestSharePercent",
                table: "MarketingActivities",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AbWinnerMetric",
                table: "MarketingActivities",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "AbWinnerVariantId",
                table: "MarketingActivities",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AttributionModel",
                table: "MarketingActivities",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "AudienceCount",
                table: "MarketingActivities",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "HoldoutCount",
                table: "MarketingActivities",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "IsPaused",
                table: "MarketingActivities",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "LaunchAt",
                table: "MarketingActivities",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LaunchedAt",
                table: "MarketingActivities",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LaunchedByName",
                table: "MarketingActivities",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SegmentId",
                table: "MarketingActivities",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TemplateId",
                table: "MarketingActivities",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ActivityVariants",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ActivityId = table.Column<int>(type: "INTEGER", nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    TemplateId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivityVariants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ActivityVariants_MarketingActivities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "MarketingActivities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ActivityVariants_MessageTemplates_TemplateId",
                        column: x => x.TemplateId,
                        principalTable: "MessageTemplates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CampaignRecipients",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ActivityId = table.Column<int>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Group = table.Column<int>(type: "INTEGER", nullable: false),
                    VariantId = table.Column<int>(type: "INTEGER", nullable: true),
                    AwaitingWinner = table.Column<bool>(type: "INTEGER", nullable: false),
                    OutboxMessageId = table.Column<long>(type: "INTEGER", nullable: true),
                    AssignedUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ContactedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignRecipients", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CampaignRecipients_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CampaignRecipients_MarketingActivities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "MarketingActivities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MarketingActivities_SegmentId",
                table: "MarketingActivities",
                column: "SegmentId");

            migrationBuilder.CreateIndex(
                name: "IX_MarketingActivities_Status_LaunchAt",
                table: "MarketingActivities",
                columns: new[] { "Status", "LaunchAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MarketingActivities_TemplateId",
                table: "MarketingActivities",
                column: "TemplateId");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityVariants_ActivityId_Label",
                table: "ActivityVariants",
                columns: new[] { "ActivityId", "Label" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ActivityVariants_TemplateId",
                table: "ActivityVariants",
                column: "TemplateId");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignRecipients_ActivityId_CustomerId",
                table: "CampaignRecipients",
                columns: new[] { "ActivityId", "CustomerId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CampaignRecipients_ActivityId_Group_ContactedAt",
                table: "CampaignRecipients",
                columns: new[] { "ActivityId", "Group", "ContactedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CampaignRecipients_AssignedUserId_ActivityId",
                table: "CampaignRecipients",
                columns: new[] { "AssignedUserId", "ActivityId" });

            migrationBuilder.CreateIndex(
                name: "IX_CampaignRecipients_CustomerId",
                table: "CampaignRecipients",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignRecipients_OutboxMessageId",
                table: "CampaignRecipients",
                column: "OutboxMessageId");

            migrationBuilder.AddForeignKey(
                name: "FK_MarketingActivities_MessageTemplates_TemplateId",
                table: "MarketingActivities",
                column: "TemplateId",
                principalTable: "MessageTemplates",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_MarketingActivities_Segments_SegmentId",
                table: "MarketingActivities",
                column: "SegmentId",
                principalTable: "Segments",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_MarketingActivities_MessageTemplates_TemplateId",
                table: "MarketingActivities");

            migrationBuilder.DropForeignKey(
                name: "FK_MarketingActivities_Segments_SegmentId",
                table: "MarketingActivities");

            migrationBuilder.DropTable(
                name: "ActivityVariants");

            migrationBuilder.DropTable(
                name: "CampaignRecipients");

            migrationBuilder.DropIndex(
                name: "IX_MarketingActivities_SegmentId",
                table: "MarketingActivities");

            migrationBuilder.DropIndex(
                name: "IX_MarketingActivities_Status_LaunchAt",
                table: "MarketingActivities");

            migrationBuilder.DropIndex(
                name: "IX_MarketingActivities_TemplateId",
                table: "MarketingActivities");

            migrationBuilder.DropColumn(
                name: "AbDecidedAt",
                table: "MarketingActivities");

            migrationBuilder.DropColumn(
                name: "AbTestHours",
                table: "MarketingActivities");

            migrationBuilder.DropColumn(
                name: "AbTestSharePercent",
                table: "MarketingActivities");

            migrationBuilder.DropColumn(
                name: "AbWinnerMetric",
                table: "MarketingActivities");

            migrationBuilder.DropColumn(
                name: "AbWinnerVariantId",
                table: "MarketingActivities");

            migrationBuilder.DropColumn(
                name: "AttributionModel",
                table: "MarketingActivities");

            migrationBuilder.DropColumn(
                name: "AudienceCount",
                table: "MarketingActivities");

            migrationBuilder.DropColumn(
                name: "HoldoutCount",
                table: "MarketingActivities");

            migrationBuilder.DropColumn(
                name: "IsPaused",
                table: "MarketingActivities");

            migrationBuilder.DropColumn(
                name: "LaunchAt",
                table: "MarketingActivities");

            migrationBuilder.DropColumn(
                name: "LaunchedAt",
                table: "MarketingActivities");

            migrationBuilder.DropColumn(
                name: "LaunchedByName",
                table: "MarketingActivities");

            migrationBuilder.DropColumn(
                name: "SegmentId",
                table: "MarketingActivities");

            migrationBuilder.DropColumn(
                name: "TemplateId",
                table: "MarketingActivities");
        }
    }
}
