using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmMarketing.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class MarketingActivities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MarketingActivities",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    StartDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Budget = table.Column<long>(type: "INTEGER", nullable: false),
                    OwnerUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    OwnerName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ConversionGoal = table.Column<int>(type: "INTEGER", nullable: false),
                    GoalCategory = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ConversionWindowDays = table.Column<int>(type: "INTEGER", nullable: false),
                    HoldoutPercent = table.Column<int>(type: "INTEGER", nullable: false),
                    CouponCode = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    UtmCampaign = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Reach = table.Column<int>(type: "INTEGER", nullable: true),
                    Impressions = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    UpdatedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MarketingActivities", x => x.Id);
                    table.CheckConstraint("CK_MarketingActivities_Budget", "\"Budget\" >= 0");
                    table.CheckConstraint("CK_MarketingActivities_Holdout", "\"HoldoutPercent\" BETWEEN 0 AND 50");
                    table.CheckConstraint("CK_MarketingActivities_Period", "\"EndDate\" >= \"StartDate\"");
                });

            migrationBuilder.CreateTable(
                name: "ActivityCosts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ActivityId = table.Column<int>(type: "INTEGER", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Category = table.Column<int>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivityCosts", x => x.Id);
                    table.CheckConstraint("CK_ActivityCosts_Amount", "\"Amount\" >= 0");
                    table.ForeignKey(
                        name: "FK_ActivityCosts_MarketingActivities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "MarketingActivities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityCosts_ActivityId_Date",
                table: "ActivityCosts",
                columns: new[] { "ActivityId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_MarketingActivities_CouponCode",
                table: "MarketingActivities",
                column: "CouponCode",
                unique: true,
                filter: "\"CouponCode\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_MarketingActivities_OwnerUserId_StartDate",
                table: "MarketingActivities",
                columns: new[] { "OwnerUserId", "StartDate" });

            migrationBuilder.CreateIndex(
                name: "IX_MarketingActivities_StartDate_EndDate",
                table: "MarketingActivities",
                columns: new[] { "StartDate", "EndDate" });

            migrationBuilder.CreateIndex(
                name: "IX_MarketingActivities_Status_StartDate",
                table: "MarketingActivities",
                columns: new[] { "Status", "StartDate" });

            migrationBuilder.CreateIndex(
                name: "IX_MarketingActivities_Type_StartDate",
                table: "MarketingActivities",
                columns: new[] { "Type", "StartDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ActivityCosts");

            migrationBuilder.DropTable(
                name: "MarketingActivities");
        }
    }
}
