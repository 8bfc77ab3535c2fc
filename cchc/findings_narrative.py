"""Finding kinds of the checks on a narrative's own arithmetic, on the narrative against the
appendix for more quantities, and on document and period words (cchc.findings gathers them
into KINDS)."""

from __future__ import annotations

from cchc.finding_kind import Kind

KINDS: tuple[Kind, ...] = (
    # the narrative's own arithmetic (cchc.checks.arithmetic)
    Kind("narrative-sum-mismatch", "error", "arithmetic",
         "Các phần trong thuyết minh không cộng lại bằng tổng",
         "Phần thuyết minh nêu một tổng số rồi kể các phần của nó (trong ngoặc, sau \"gồm\", "
         "\"cụ thể\", hoặc sau \"trong đó\" khi các phần phủ kín một cách chia như đúng hạn / "
         "quá hạn), nhưng các phần cộng lại khác tổng. Danh sách mở (\"…\", \"v.v.\", "
         "\"như\") không được coi là tổng; số ghi gần đúng (\"hơn\", \"khoảng\") được so có "
         "dung sai và chỉ là cảnh báo.",
         "{parts} = {sum}, khác tổng {total} (\"{quote}\")."),
    Kind("narrative-part-exceeds-total", "warning", "arithmetic",
         "Phần lớn hơn tổng trong thuyết minh",
         "Sau \"trong đó\", một phần (hoặc các phần loại trừ nhau, như trước hạn / đúng hạn / "
         "quá hạn) lớn hơn tổng số mà chúng thuộc về.",
         "{parts} = {sum}, lớn hơn tổng {total} (\"{quote}\")."),
    Kind("narrative-share-mismatch", "error", "arithmetic",
         "Tỷ lệ trong thuyết minh không khớp với số liệu của nó",
         "Tỷ lệ phần trăm ghi cạnh một phân số (\"1.889/5.838, đạt 31,81%\") hoặc cạnh một số "
         "lượng (\"300 hồ sơ, chiếm 30%\") khác với tỷ lệ tính từ chính các số đó, có tính sai "
         "số làm tròn theo số chữ số đã ghi và mọi cách đọc được của số; với số lượng, mọi "
         "tổng số phù hợp trong đoạn văn đều được thử.",
         "Ghi {actual}% nhưng {fraction} = {expected}%{others} (\"{quote}\")."),
    Kind("narrative-balance-mismatch", "warning", "arithmetic",
         "Số tiếp nhận khác số đã giải quyết cộng số đang giải quyết",
         "Phần thuyết minh nêu số tiếp nhận (hoặc được giao), số đã giải quyết (hoặc hoàn "
         "thành) và số đang giải quyết, nhưng hai vế không bằng nhau. Là cảnh báo: nếu có hồ "
         "sơ rút, trả lại mà văn bản không ghi thì cần ghi rõ.",
         "{received_words} {received} nhưng {done_words} {resolved} + {pending_words} "
         "{pending} = {sum}, chênh {diff} (\"{quote}\")."),
    # the narrative against the appendix (cchc.checks.narrative)
    Kind("narrative-figure-not-in-appendix", "warning", "narrative",
         "Thuyết minh có số liệu nhưng phụ lục để trống hoặc ghi 0",
         "Phần thuyết minh nêu một số liệu (khác 0) mà dòng tương ứng của biểu phụ lục để "
         "trống hoặc ghi 0.",
         "Dòng phụ lục \"{label}\" {state} nhưng phần thuyết minh ghi {expected} "
         "(\"{quote}\")."),
    Kind("narrative-rate-disagrees", "warning", "narrative",
         "Tỷ lệ trong thuyết minh khác tỷ lệ tính từ phụ lục",
         "Phần thuyết minh nêu một tỷ lệ (ví dụ \"100% TTHC được cung cấp trực tuyến mức độ "
         "3, 4\") mà các dòng của phụ lục cho một tỷ lệ khác, theo mọi cách tính có thể (mọi "
         "mẫu số phù hợp của biểu).",
         "Phần thuyết minh ghi {actual}% {what} (\"{quote}\") nhưng theo phụ lục {fraction} = "
         "{expected}%."),
    Kind("narrative-implied-rate-disagrees", "warning", "narrative",
         "Tỷ lệ tính từ số liệu thuyết minh khác tỷ lệ ở phụ lục",
         "Phần thuyết minh nêu số hồ sơ giải quyết trước hạn, đúng hạn và quá hạn (hoặc số "
         "đã giải quyết và số đúng hạn); tỷ lệ giải quyết đúng hạn tính từ các số đó khác tỷ lệ "
         "ghi ở phụ lục, kể cả khi tính sai số làm tròn của phụ lục.",
         "Theo phần thuyết minh, tỷ lệ giải quyết đúng hạn là {fraction} = {expected}% "
         "(\"{quote}\") nhưng phụ lục ghi {actual}%."),
    # document and period words (cchc.checks.periodwords)
    Kind("document-dated-after-report", "warning", "document",
         "Văn bản được dẫn có ngày sau ngày của báo cáo",
         "Phần thuyết minh dẫn một văn bản (kế hoạch, quyết định, công văn…) ghi ngày sau ngày "
         "ban hành của chính báo cáo; thường là ghi nhầm năm hoặc tháng.",
         "Văn bản \"{citation}\" ghi ngày {doc_date}, sau ngày ban hành báo cáo ({date})."),
    Kind("document-dated-after-period", "warning", "document",
         "Văn bản được dẫn có ngày sau kỳ báo cáo",
         "Báo cáo không ghi ngày ban hành, và phần thuyết minh dẫn một văn bản ghi ngày muộn "
         "hơn nhiều so với ngày kết thúc kỳ báo cáo (quá thời hạn một báo cáo của kỳ có thể "
         "được ký); thường là ghi nhầm năm hoặc tháng.",
         "Văn bản \"{citation}\" ghi ngày {doc_date}, sau khi kỳ báo cáo {period} đã kết thúc "
         "({end})."),
    Kind("document-date-conflict", "warning", "document",
         "Cùng một văn bản được dẫn với hai ngày khác nhau",
         "Báo cáo dẫn cùng một văn bản (cùng số, ký hiệu, cùng năm, cùng cơ quan ban hành) "
         "nhưng ghi hai ngày ban hành khác nhau.",
         "Văn bản số {number} được dẫn với hai ngày khác nhau: {first} (\"{first_quote}\") và "
         "{second} (\"{second_quote}\")."),
    Kind("period-word-conflict", "warning", "document",
         "Từ chỉ thời gian trái với kỳ báo cáo",
         "Phần thuyết minh gọi kỳ đang báo cáo bằng một kỳ khác (\"trong quý\" trong báo cáo 6 "
         "tháng, \"9 tháng\" trong báo cáo quý I). Nhắc tới một phần của kỳ (\"quý I\" trong "
         "báo cáo 6 tháng), kỳ để so sánh (\"năm 2021\") hay kỳ tới (phần phương hướng) không "
         "bị coi là trái.",
         "Báo cáo {period} nhưng thuyết minh viết \"{phrase}\" (\"{quote}\")."),
    Kind("data-window-mismatch", "warning", "document",
         "Thời gian tính số liệu không khớp kỳ báo cáo",
         "Khoảng thời gian tính số liệu ghi trong báo cáo (\"số liệu tính từ ngày … đến ngày "
         "…\") không phủ được phần lớn kỳ báo cáo, hoặc vượt xa ra ngoài kỳ.",
         "Số liệu tính từ {start} đến {end}, trong khi kỳ báo cáo {period} là {pstart} – "
         "{pend} ({problem}) (\"{quote}\")."),
    Kind("mixed-number-style", "info", "document", "Cách viết số không thống nhất",
         "Trong cùng một báo cáo, số được viết theo nhiều quy ước (dấu chấm và dấu phẩy thập "
         "phân, số có và không có dấu phân cách hàng nghìn); người đọc và máy dễ hiểu nhầm.",
         "Báo cáo viết số theo nhiều cách: {styles}. Nên viết thống nhất: dấu chấm phân cách "
         "hàng nghìn, dấu phẩy thập phân (1.241; 97,74%)."),
)
