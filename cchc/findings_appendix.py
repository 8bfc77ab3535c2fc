"""Finding kinds of the checks on relations inside the appendix: shares of one total,
section totals, notes against their rows, subsets, unit confusions, restated rows
(cchc.findings gathers them into KINDS). The checks are in cchc.checks.appendix."""

from __future__ import annotations

from cchc.finding_kind import Kind

KINDS: tuple[Kind, ...] = (
    # relations declared by the form (total_of, shares, subset_of, accounted_by, same_as)
    Kind("section-total-mismatch", "warning", "relation",
         "Số ghi ở dòng tiêu đề khác tổng các dòng bên dưới",
         "Biểu mẫu cho biết dòng tiêu đề là tổng của các dòng bên dưới (ví dụ \"Số liệu về "
         "lãnh đạo\" trên các nhóm lãnh đạo); đơn vị ghi một số ở dòng tiêu đề nhưng số đó "
         "không bằng tổng các dòng ấy (thường là số của một dòng con).",
         "{label} ghi {actual} nhưng {rows} cộng lại {arithmetic} = {expected}{missing}."),
    Kind("shares-exceed-100", "error", "relation", "Các tỷ lệ loại trừ nhau vượt 100%",
         "Các tỷ lệ (%) là những phần loại trừ nhau của cùng một tổng (ví dụ văn bản gửi "
         "hoàn toàn dưới dạng điện tử và văn bản gửi điện tử song song với văn bản giấy) "
         "nhưng cộng lại lớn hơn 100%; thường do một dòng ghi lại cả tổng (100%).",
         "{arithmetic} = {actual}%, lớn hơn 100%: các tỷ lệ này là những phần loại trừ nhau "
         "của {whole}.{repeat}"),
    Kind("subset-exceeds-set", "error", "relation", "Tập con lớn hơn tập chứa nó",
         "Một chỉ tiêu chỉ đếm một phần của các chỉ tiêu khác (ví dụ TTHC đã tích hợp trên "
         "Cổng DVC quốc gia là một phần của các TTHC đang cung cấp trực tuyến mức độ 3 và "
         "mức độ 4) nhưng lớn hơn tổng của các chỉ tiêu đó.",
         "{label} ghi {actual}, lớn hơn {set_text}: {arithmetic} = {expected}."),
    Kind("outcomes-exceed-total", "error", "relation", "Các kết quả cộng lại vượt tổng",
         "Các dòng kết quả (ví dụ hoàn thành đúng hạn, hoàn thành quá hạn, quá hạn chưa "
         "hoàn thành) chia nhau tổng số nhưng cộng lại lớn hơn tổng.",
         "{label} ghi {actual} nhưng các kết quả cộng lại {arithmetic} = {expected}, "
         "nhiều hơn {excess}."),
    Kind("outcomes-leave-unaccounted", "info", "relation", "Còn mục chưa thuộc kết quả nào",
         "Các dòng kết quả của một tổng số (ví dụ nhiệm vụ được giao: hoàn thành đúng hạn, "
         "hoàn thành quá hạn, quá hạn chưa hoàn thành) cộng lại nhỏ hơn tổng; phần còn lại "
         "có thể là việc chưa đến hạn, nên đây là lưu ý để xem lại.",
         "{label} ghi {actual} nhưng các kết quả cộng lại {arithmetic} = {expected}: còn "
         "{missing} chưa thuộc kết quả nào."),
    Kind("same-quantity-differs", "warning", "relation", "Cùng một số liệu ghi hai số khác nhau",
         "Hai dòng của biểu đo cùng một số liệu (cùng chỉ tiêu, hoặc biểu mẫu cho biết dòng "
         "này nhắc lại dòng kia) nhưng ghi hai số khác nhau.",
         "{label} ghi {actual} nhưng {other} ({why}) ghi {expected}."),
    Kind("exceeds-units-in-report", "warning", "relation",
         "Số đơn vị vượt số đơn vị chính báo cáo nêu",
         "Số đơn vị của một cấp (ví dụ số xã được kiểm tra) lớn hơn số đơn vị cấp đó mà "
         "chính báo cáo cho biết đơn vị có (ở một dòng \"số xã\" hoặc trong ghi chú).",
         "Ghi {actual} {words} ({label}) nhưng chính báo cáo cho biết chỉ có {expected} "
         "{words} ({evidence})."),
    # notes against their own row
    Kind("note-sum-mismatch", "warning", "value", "Các số trong ghi chú không cộng đúng",
         "Ghi chú chia nhỏ số liệu (\"Trong đó: cấp huyện 12, cấp xã 30\", \"40 đơn vị "
         "(gồm: …)\") nhưng các phần cộng lại khác số liệu của dòng hoặc khác tổng mà chính "
         "ghi chú nêu.",
         "Ghi chú kể {arithmetic} = {expected}, khác {against}: \"{quote}\"."),
    Kind("note-figure-differs", "warning", "value", "Ghi chú ghi số khác số liệu của dòng",
         "Ghi chú nhắc lại số liệu của dòng (\"24 đơn vị (…)\", \"736/750 phiếu\") nhưng "
         "với một số khác.",
         "Ghi chú ghi {expected_text} nhưng số liệu của dòng là {actual}{percent}"
         "{detail}: \"{quote}\"."),
    Kind("note-contradicts-row", "warning", "value", "Ghi chú trái với số liệu của dòng",
         "Số liệu của dòng nói rằng không có hồ sơ (nhiệm vụ) trễ hạn nhưng ghi chú lại nêu "
         "một số hồ sơ (nhiệm vụ) trễ hạn.",
         "{claim}, nhưng ghi chú nêu {late} {noun} {late_word}: \"{quote}\"."),
    # units and answers against the label
    Kind("unit-contradicts-label", "warning", "value", "Đơn vị tính không hợp với chỉ tiêu",
         "Tên chỉ tiêu nói nó đếm một thứ (ví dụ hồ sơ) nhưng đơn vị tính ghi đơn vị của thứ "
         "khác (ví dụ TTHC, thủ tục), hoặc một tỷ lệ ghi đơn vị đếm, một số lượng ghi %.",
         "{label} là số {counted} nhưng đơn vị tính ghi \"{written_unit}\" ({unit_means}); "
         "{actual} {counted} thì đơn vị tính là \"{expected_unit}\"."),
    Kind("yes-no-answered-with-count", "warning", "value",
         "Chỉ tiêu Có/Không được trả lời bằng số lượng",
         "Chỉ tiêu hỏi có hay không (đơn vị tính \"Có/Không\") nhưng ô số liệu ghi một số "
         "lượng.",
         "Chỉ tiêu trả lời Có/Không (\"{question}\") nhưng ô số liệu ghi \"{raw}\", là một "
         "số lượng; hãy ghi Có hoặc Không và đưa số lượng vào ghi chú."),
)
