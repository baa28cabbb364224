using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmMarketing.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CustomerRfm : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CustomerRfm",
                columns: table => new
                {
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    RecencyScore = table.Column<int>(type: "INTEGER", nullable: false),
                    FrequencyScore = table.Column<int>(type: "INTEGER", nullable: false),
                    MonetaryScore = table.Column<int>(type: "INTEGER", nullable: false),
                    Segment = table.Column<int>(type: "INTEGER", nullable: false),
                    RecencyDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Frequency = table.Column<int>(type: "INTEGER", nullable: false),
                    Monetary = table.Column<long>(type: "INTEGER", nullable: false),
                    ComputedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomerRfm", x => x.CustomerId);
                    table.ForeignKey(
                        name: "FK_CustomerRfm_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RfmRuns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ComputedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    WindowDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Customers = table.Column<int>(type: "INTEGER", nullable: false),
                    DurationMs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RfmRuns", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerRfm_RecencyScore_FrequencyScore",
                table: "CustomerRfm",
                columns: new[] { "RecencyScore", "FrequencyScore" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerRfm_Segment_CustomerId",
                table: "CustomerRfm",
                columns: new[] { "Segment", "CustomerId" });

            migrationBuilder.CreateIndex(
                name: "IX_RfmRuns_ComputedAt",
                table: "RfmRuns",
                column: "ComputedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CustomerRfm");

            migrationBuilder.DropTable(
                name: "RfmRuns");
        }
    }
}
