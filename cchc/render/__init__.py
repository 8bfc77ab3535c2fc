"""Writing documents: the official report (.docx, Nghị định 30), its appendix as .xlsx,
.pdf through LibreOffice, and charts. `document.ReportDocument` is what every writer takes."""
