using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmMarketing.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AnalyticsSpeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Purchases_CustomerId_PurchasedAt",
                table: "Purchases");

            migrationBuilder.DropIndex(
                name: "IX_Purchases_PurchasedAt",
                table: "Purchases");

            migrationBuilder.DropIndex(
                name: "IX_PurchaseLines_PurchaseId",
                table: "PurchaseLines");

            migrationBuilder.CreateIndex(
                name: "IX_Purchases_CustomerId_PurchasedAt_Total_Channel",
                table: "Purchases",
                columns: new[] { "CustomerId", "PurchasedAt", "Total", "Channel" });

            migrationBuilder.CreateIndex(
                name: "IX_Purchases_PurchasedAt_CustomerId_Total_Channel",
                table: "Purchases",
                columns: new[] { "PurchasedAt", "CustomerId", "Total", "Channel" });

            migrationBuilder.CreateIndex(
                name: "IX_PurchaseLines_PurchaseId_ProductId_Quantity_Amount",
                table: "PurchaseLines",
                columns: new[] { "PurchaseId", "ProductId", "Quantity", "Amount" });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Id_IsArchived_Region_City",
                table: "Customers",
                columns: new[] { "Id", "IsArchived", "Region", "City" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Purchases_CustomerId_PurchasedAt_Total_Channel",
                table: "Purchases");

            migrationBuilder.DropIndex(
                name: "IX_Purchases_PurchasedAt_CustomerId_Total_Channel",
                table: "Purchases");

            migrationBuilder.DropIndex(
                name: "IX_PurchaseLines_PurchaseId_ProductId_Quantity_Amount",
                table: "PurchaseLines");

            migrationBuilder.DropIndex(
                name: "IX_Customers_Id_IsArchived_Region_City",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Purchases_CustomerId_PurchasedAt",
                table: "Purchases",
                columns: new[] { "CustomerId", "PurchasedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Purchases_PurchasedAt",
                table: "Purchases",
                column: "PurchasedAt");

            migrationBuilder.CreateIndex(
                name: "IX_PurchaseLines_PurchaseId",
                table: "PurchaseLines",
                column: "PurchaseId");
        }
    }
}
