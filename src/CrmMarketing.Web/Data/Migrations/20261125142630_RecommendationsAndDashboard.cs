using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmMarketing.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RecommendationsAndDashboard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ProductAssociationRuns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ComputedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DurationMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Customers = table.Column<int>(type: "INTEGER", nullable: false),
                    Rules = table.Column<int>(type: "INTEGER", nullable: false),
                    MinSupport = table.Column<double>(type: "REAL", nullable: false),
                    MinConfidence = table.Column<double>(type: "REAL", nullable: false),
                    MinLift = table.Column<double>(type: "REAL", nullable: false),
                    MinPairCustomers = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProductAssociationRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ProductAssociations",
                columns: table => new
                {
                    AntecedentId = table.Column<int>(type: "INTEGER", nullable: false),
                    ConsequentId = table.Column<int>(type: "INTEGER", nullable: false),
                    PairCustomers = table.Column<int>(type: "INTEGER", nullable: false),
                    Support = table.Column<double>(type: "REAL", nullable: false),
                    Confidence = table.Column<double>(type: "REAL", nullable: false),
                    Lift = table.Column<double>(type: "REAL", nullable: false),
                    ComputedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProductAssociations", x => new { x.AntecedentId, x.ConsequentId });
                    table.ForeignKey(
                        name: "FK_ProductAssociations_Products_AntecedentId",
                        column: x => x.AntecedentId,
                        principalTable: "Products",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ProductAssociations_Products_ConsequentId",
                        column: x => x.ConsequentId,
                        principalTable: "Products",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_IsArchived_FirstPurchaseAt",
                table: "Customers",
                columns: new[] { "IsArchived", "FirstPurchaseAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerCalls_CreatedByUserId_CalledAt",
                table: "CustomerCalls",
                columns: new[] { "CreatedByUserId", "CalledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ProductAssociationRuns_ComputedAt",
                table: "ProductAssociationRuns",
                column: "ComputedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ProductAssociations_ConsequentId",
                table: "ProductAssociations",
                column: "ConsequentId");

            migrationBuilder.CreateIndex(
                name: "IX_ProductAssociations_Lift",
                table: "ProductAssociations",
                column: "Lift");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProductAssociationRuns");

            migrationBuilder.DropTable(
                name: "ProductAssociations");

            migrationBuilder.DropIndex(
                name: "IX_Customers_IsArchived_FirstPurchaseAt",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_CustomerCalls_CreatedByUserId_CalledAt",
                table: "CustomerCalls");
        }
    }
}
