using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmMarketing.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DuplicatesMergeAndPrivacy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ErasedAt",
                table: "Customers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DuplicateDismissals",
                columns: table => new
                {
                    FirstCustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    SecondCustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    DismissedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DismissedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DuplicateDismissals", x => new { x.FirstCustomerId, x.SecondCustomerId });
                });

            migrationBuilder.CreateTable(
                name: "MergeJournals",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SurvivorId = table.Column<int>(type: "INTEGER", nullable: false),
                    LoserId = table.Column<int>(type: "INTEGER", nullable: false),
                    MergedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    MergedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    MergedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    SurvivorBefore = table.Column<string>(type: "TEXT", nullable: false),
                    LoserBefore = table.Column<string>(type: "TEXT", nullable: false),
                    MovedRows = table.Column<string>(type: "TEXT", nullable: false),
                    SurvivorVersionAfter = table.Column<int>(type: "INTEGER", nullable: false),
                    UndoneAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UndoneBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    PurgedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MergeJournals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PersonalDataKeys",
                columns: table => new
                {
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Key = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonalDataKeys", x => x.CustomerId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MergeJournals_LoserId",
                table: "MergeJournals",
                column: "LoserId");

            migrationBuilder.CreateIndex(
                name: "IX_MergeJournals_PurgedAt_MergedAt",
                table: "MergeJournals",
                columns: new[] { "PurgedAt", "MergedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MergeJournals_SurvivorId_MergedAt",
                table: "MergeJournals",
                columns: new[] { "SurvivorId", "MergedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DuplicateDismissals");

            migrationBuilder.DropTable(
                name: "MergeJournals");

            migrationBuilder.DropTable(
                name: "PersonalDataKeys");

            migrationBuilder.DropColumn(
                name: "ErasedAt",
                table: "Customers");
        }
    }
}
