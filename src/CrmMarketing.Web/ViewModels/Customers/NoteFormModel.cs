using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.ViewModels.Customers;

public sealed class NoteFormModel
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(CustomerNote.BodyMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Note")]
    public string Body { get; set; } = string.Empty;
}
