using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmMarketing.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class FilterIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_City_NameKey",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_Country_NameKey",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_Region_NameKey",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_Source_NameKey",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_City_IsArchived_NameKey_Id_LastPurchaseAt",
                table: "Customers",
                columns: new[] { "City", "IsArchived", "NameKey", "Id", "LastPurchaseAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Country_IsArchived_NameKey_Id_LastPurchaseAt",
                table: "Customers",
                columns: new[] { "Country", "IsArchived", "NameKey", "Id", "LastPurchaseAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Region_IsArchived_NameKey_Id_LastPurchaseAt",
                table: "Customers",
                columns: new[] { "Region", "IsArchived", "NameKey", "Id", "LastPurchaseAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Source_IsArchived_NameKey_Id_LastPurchaseAt",
                table: "Customers",
                columns: new[] { "Source", "IsArchived", "NameKey", "Id", "LastPurchaseAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_City_IsArchived_NameKey_Id_LastPurchaseAt",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_Country_IsArchived_NameKey_Id_LastPurchaseAt",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_Region_IsArchived_NameKey_Id_LastPurchaseAt",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_Source_IsArchived_NameKey_Id_LastPurchaseAt",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_City_NameKey",
                table: "Customers",
                columns: new[] { "City", "NameKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Country_NameKey",
                table: "Customers",
                columns: new[] { "Country", "NameKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Region_NameKey",
                table: "Customers",
                columns: new[] { "Region", "NameKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Source_NameKey",
                table: "Customers",
                columns: new[] { "Source", "NameKey" });
        }
    }
}
