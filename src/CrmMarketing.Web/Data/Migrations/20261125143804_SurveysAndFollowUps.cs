using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmMarketing.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SurveysAndFollowUps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "CK_Feedback_Score",
                table: "Feedback");

            migrationBuilder.AddColumn<int>(
                name: "CampaignId",
                table: "Feedback",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExtraAnswer",
                table: "Feedback",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Scale",
                table: "Feedback",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SurveyId",
                table: "Feedback",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OwnerUserId",
                table: "Customers",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "FollowUpTasks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    FeedbackId = table.Column<int>(type: "INTEGER", nullable: true),
                    AssigneeUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ResolvedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ResolvedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ResolvedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Resolution = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FollowUpTasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FollowUpTasks_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_FollowUpTasks_Feedback_FeedbackId",
                        column: x => x.FeedbackId,
                        principalTable: "Feedback",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "Surveys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    Category = table.Column<int>(type: "INTEGER", nullable: false),
                    QuestionEn = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    QuestionZh = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    AskComment = table.Column<bool>(type: "INTEGER", nullable: false),
                    ExtraQuestionEn = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    ExtraQuestionZh = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Surveys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SurveyInvitations",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SurveyId = table.Column<int>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    TokenId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Channel = table.Column<int>(type: "INTEGER", nullable: false),
                    Culture = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CampaignId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AnsweredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FeedbackId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SurveyInvitations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SurveyInvitations_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SurveyInvitations_Feedback_FeedbackId",
                        column: x => x.FeedbackId,
                        principalTable: "Feedback",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_SurveyInvitations_Surveys_SurveyId",
                        column: x => x.SurveyId,
                        principalTable: "Surveys",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Feedback_CampaignId_CreatedAt",
                table: "Feedback",
                columns: new[] { "CampaignId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Feedback_Scale_CreatedAt_Score",
                table: "Feedback",
                columns: new[] { "Scale", "CreatedAt", "Score" });

            migrationBuilder.CreateIndex(
                name: "IX_Feedback_SurveyId_CreatedAt",
                table: "Feedback",
                columns: new[] { "SurveyId", "CreatedAt" });

            migrationBuilder.AddCheckConstraint(
                name: "CK_Feedback_Score",
                table: "Feedback",
                sql: "(\"Scale\" = 0 AND \"Score\" BETWEEN 1 AND 5) OR (\"Scale\" = 1 AND \"Score\" BETWEEN 0 AND 10)");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_OwnerUserId",
                table: "Customers",
                column: "OwnerUserId");

            migrationBuilder.CreateIndex(
                name: "IX_FollowUpTasks_AssigneeUserId_Status_DueAt",
                table: "FollowUpTasks",
                columns: new[] { "AssigneeUserId", "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_FollowUpTasks_CustomerId_CreatedAt",
                table: "FollowUpTasks",
                columns: new[] { "CustomerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_FollowUpTasks_FeedbackId",
                table: "FollowUpTasks",
                column: "FeedbackId");

            migrationBuilder.CreateIndex(
                name: "IX_FollowUpTasks_Status_DueAt",
                table: "FollowUpTasks",
                columns: new[] { "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyInvitations_CustomerId_CreatedAt",
                table: "SurveyInvitations",
                columns: new[] { "CustomerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyInvitations_FeedbackId",
                table: "SurveyInvitations",
                column: "FeedbackId");

            migrationBuilder.CreateIndex(
                name: "IX_SurveyInvitations_SurveyId_AnsweredAt",
                table: "SurveyInvitations",
                columns: new[] { "SurveyId", "AnsweredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyInvitations_TokenId",
                table: "SurveyInvitations",
                column: "TokenId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Surveys_Name",
                table: "Surveys",
                column: "Name");

            migrationBuilder.AddForeignKey(
                name: "FK_Feedback_Surveys_SurveyId",
                table: "Feedback",
                column: "SurveyId",
                principalTable: "Surveys",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Feedback_Surveys_SurveyId",
                table: "Feedback");

            migrationBuilder.DropTable(
                name: "FollowUpTasks");

            migrationBuilder.DropTable(
                name: "SurveyInvitations");

            migrationBuilder.DropTable(
                name: "Surveys");

            migrationBuilder.DropIndex(
                name: "IX_Feedback_CampaignId_CreatedAt",
                table: "Feedback");

            migrationBuilder.DropIndex(
                name: "IX_Feedback_Scale_CreatedAt_Score",
                table: "Feedback");

            migrationBuilder.DropIndex(
                name: "IX_Feedback_SurveyId_CreatedAt",
                table: "Feedback");

            migrationBuilder.DropCheckConstraint(
                name: "CK_Feedback_Score",
                table: "Feedback");

            migrationBuilder.DropIndex(
                name: "IX_Customers_OwnerUserId",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "CampaignId",
                table: "Feedback");

            migrationBuilder.DropColumn(
                name: "ExtraAnswer",
                table: "Feedback");

            migrationBuilder.DropColumn(
                name: "Scale",
                table: "Feedback");

            migrationBuilder.DropColumn(
                name: "SurveyId",
                table: "Feedback");

            migrationBuilder.DropColumn(
                name: "OwnerUserId",
                table: "Customers");

            migrationBuilder.AddCheckConstraint(
                name: "CK_Feedback_Score",
                table: "Feedback",
                sql: "\"Score\" BETWEEN 1 AND 5");
        }
    }
}
