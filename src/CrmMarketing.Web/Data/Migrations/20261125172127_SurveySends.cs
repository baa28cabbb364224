using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmMarketing.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SurveySends : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Feedback_CustomerId_CreatedAt",
                table: "Feedback");

            migrationBuilder.AddColumn<int>(
                name: "SendId",
                table: "SurveyInvitations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SurveySends",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SurveyId = table.Column<int>(type: "INTEGER", nullable: false),
                    SegmentId = table.Column<int>(type: "INTEGER", nullable: true),
                    SegmentName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Channel = table.Column<int>(type: "INTEGER", nullable: false),
                    TemplateId = table.Column<int>(type: "INTEGER", nullable: true),
                    CampaignId = table.Column<int>(type: "INTEGER", nullable: true),
                    Culture = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    MemberCount = table.Column<int>(type: "INTEGER", nullable: false),
                    QueuedCount = table.Column<int>(type: "INTEGER", nullable: false),
                    SkippedCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SurveySends", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SurveySends_MessageTemplates_TemplateId",
                        column: x => x.TemplateId,
                        principalTable: "MessageTemplates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_SurveySends_Segments_SegmentId",
                        column: x => x.SegmentId,
                        principalTable: "Segments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_SurveySends_Surveys_SurveyId",
                        column: x => x.SurveyId,
                        principalTable: "Surveys",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyInvitations_SendId_CustomerId",
                table: "SurveyInvitations",
                columns: new[] { "SendId", "CustomerId" });

            migrationBuilder.CreateIndex(
                name: "IX_Feedback_CustomerId_CreatedAt_Scale_Score",
                table: "Feedback",
                columns: new[] { "CustomerId", "CreatedAt", "Scale", "Score" });

            migrationBuilder.CreateIndex(
                name: "IX_SurveySends_Key",
                table: "SurveySends",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SurveySends_SegmentId",
                table: "SurveySends",
                column: "SegmentId");

            migrationBuilder.CreateIndex(
                name: "IX_SurveySends_SurveyId_CreatedAt",
                table: "SurveySends",
                columns: new[] { "SurveyId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SurveySends_TemplateId",
                table: "SurveySends",
                column: "TemplateId");

            migrationBuilder.AddForeignKey(
                name: "FK_SurveyInvitations_SurveySends_SendId",
                table: "SurveyInvitations",
                column: "SendId",
                principalTable: "SurveySends",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_SurveyInvitations_SurveySends_SendId",
                table: "SurveyInvitations");

            migrationBuilder.DropTable(
                name: "SurveySends");

            migrationBuilder.DropIndex(
                name: "IX_SurveyInvitations_SendId_CustomerId",
                table: "SurveyInvitations");

            migrationBuilder.DropIndex(
                name: "IX_Feedback_CustomerId_CreatedAt_Scale_Score",
                table: "Feedback");

            migrationBuilder.DropColumn(
                name: "SendId",
                table: "SurveyInvitations");

            migrationBuilder.CreateIndex(
                name: "IX_Feedback_CustomerId_CreatedAt",
                table: "Feedback",
                columns: new[] { "CustomerId", "CreatedAt" });
        }
    }
}
