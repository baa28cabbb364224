using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmMarketing.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConsentChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConsentChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Channel = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Evidence = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsentChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConsentChanges_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ConsentChanges_CustomerId_ChangedAt",
                table: "ConsentChanges",
                columns: new[] { "CustomerId", "ChangedAt" });

            // Customers that exist already start their ledger with the state they have now.
            migrationBuilder.Sql("""
                INSERT INTO ConsentChanges (CustomerId, Channel, State, ChangedAt, Source, ChangedBy)
                SELECT Id, 0, EmailConsent, EmailConsentAt, COALESCE(EmailConsentSource, 'staff'), NULL
                FROM Customers WHERE EmailConsentAt IS NOT NULL;
                INSERT INTO ConsentChanges (CustomerId, Channel, State, ChangedAt, Source, ChangedBy)
                SELECT Id, 1, SmsConsent, SmsConsentAt, COALESCE(SmsConsentSource, 'staff'), NULL
                FROM Customers WHERE SmsConsentAt IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConsentChanges");
        }
    }
}
