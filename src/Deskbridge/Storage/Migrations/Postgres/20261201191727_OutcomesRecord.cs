using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Deskbridge.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OutcomesRecord : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "OutcomeRecords",
                columns: table => new
                {
                    SessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    HandoffTrigger = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    TicketId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    TicketWritten = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ContactId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ContactWritten = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutcomeRecords", x => x.SessionId);
                    table.ForeignKey(
                        name: "FK_OutcomeRecords_Sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "Sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutcomeRecords_OrganizationId",
                table: "OutcomeRecords",
                column: "OrganizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OutcomeRecords");
        }
    }
}
