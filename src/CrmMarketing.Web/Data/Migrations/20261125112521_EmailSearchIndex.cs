using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmMarketing.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class EmailSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_EmailKey",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_EmailKey_IsArchived_NameKey",
                table: "Customers",
                columns: new[] { "EmailKey", "IsArchived", "NameKey" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_EmailKey_IsArchived_NameKey",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_EmailKey",
                table: "Customers",
                column: "EmailKey");
        }
    }
}
