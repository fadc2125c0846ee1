# what a Word form with its 基础数据表 and 附件4-1 was read as: the long CSV, then the figures
import tests/forms/seed/07-attachments.docx
