"""The catalog of finding kinds: stable code, default severity, Vietnamese title, description
and message template. Checks create findings with `make()`; `render()` writes the message.
docs/findings.md is generated from this table (`cchc findings --markdown`) and a test keeps
the two in step.
"""

from __future__ import annotations

from typing import Any

from cchc.finding_kind import Kind
from cchc.model import Finding
from cchc.numbers import format_number

KINDS: dict[str, Kind] = {k.code: k for k in (
    # values
    Kind("rate-mismatch", "error", "value", "Tỷ lệ không khớp tử số/mẫu số",
         "Tỷ lệ ghi trong biểu khác với tỷ lệ tính từ chính tử số và mẫu số của nó (có tính "
         "sai số làm tròn theo số chữ số thập phân đã ghi).",
         "Tỷ lệ ghi {actual}% nhưng {numerator_label} / {denominator_label} = "
         "{numerator}/{denominator} = {expected}%."),
    Kind("rate-zero-over-zero", "warning", "value", "Ghi 0% khi không phát sinh (0/0)",
         "Tử số và mẫu số đều bằng 0: đây là \"không phát sinh\", không phải 0%.",
         "Ghi {actual}% nhưng tử số và mẫu số đều bằng 0 (không phát sinh); nên để trống "
         "hoặc ghi \"không phát sinh\"."),
    Kind("rate-over-100", "error", "value", "Tỷ lệ vượt 100%",
         "Một tỷ lệ phần trăm lớn hơn 100%.", "Tỷ lệ {actual}% lớn hơn 100%."),
    Kind("percent-on-count", "warning", "value", "Ghi % cho chỉ tiêu đếm số lượng",
         "Chỉ tiêu là số lượng (đơn vị \"{expected_unit}\") nhưng đơn vị hoặc số liệu ghi %.",
         "Chỉ tiêu đếm số lượng (đơn vị đúng: \"{expected_unit}\") nhưng ghi đơn vị "
         "\"{written_unit}\" / số liệu \"{raw}\"."),
    Kind("count-on-rate", "warning", "value", "Ghi đơn vị số lượng cho chỉ tiêu tỷ lệ",
         "Chỉ tiêu là tỷ lệ (%) nhưng đơn vị ghi là một đơn vị đếm.",
         "Chỉ tiêu tỷ lệ (%) nhưng đơn vị ghi \"{written_unit}\"."),
    Kind("fraction-in-percent", "warning", "value", "Ghi phân số trong ô tỷ lệ",
         "Ô tỷ lệ ghi dạng phân số (ví dụ 149/149); giá trị đã được tính thành phần trăm.",
         "Ô tỷ lệ ghi phân số \"{raw}\"; hiểu là {expected}%. Nên ghi tỷ lệ và ghi tử số, "
         "mẫu số ở các dòng tương ứng."),
    Kind("coded-value-invalid", "error", "value", "Giá trị mã hóa không hợp lệ",
         "Chỉ tiêu trả lời bằng mã (ví dụ Có = 1; Không = 0) nhưng số liệu không phải một "
         "trong các mã cho phép.",
         "Giá trị \"{raw}\" không thuộc các mã cho phép: {options}."),
    Kind("ambiguous-number", "warning", "value", "Số liệu đọc được nhiều cách",
         "Cách viết số có thể hiểu theo hai cách (dấu chấm/phẩy là phân cách hàng nghìn hay "
         "thập phân); hệ thống không tự đoán.",
         "Số liệu \"{raw}\" có thể là {candidates}; hãy ghi rõ."),
    Kind("value-not-number", "warning", "value", "Số liệu không phải là số",
         "Ô số liệu của chỉ tiêu định lượng chứa chữ thay vì số.",
         "Ô số liệu ghi \"{raw}\", không phải là số."),
    # relations
    Kind("part-exceeds-whole", "error", "relation", "Phần lớn hơn tổng",
         "Một chỉ tiêu con (ví dụ số hồ sơ đúng hạn) lớn hơn chỉ tiêu chứa nó (số hồ sơ đã "
         "giải quyết).",
         "{label} ({actual}) lớn hơn {whole_label} ({expected})."),
    Kind("sum-mismatch", "error", "relation", "Tổng các chỉ tiêu con khác chỉ tiêu tổng",
         "Các chỉ tiêu con cộng lại không bằng chỉ tiêu tổng.",
         "Tổng các chỉ tiêu con là {expected} nhưng {label} ghi {actual}."),
    Kind("exclusive-exceeds-total", "error", "relation",
         "Các phần loại trừ nhau vượt tổng",
         "Các chỉ tiêu loại trừ lẫn nhau cộng lại lớn hơn tổng số.",
         "Các phần cộng lại là {expected}, lớn hơn {label} ({actual})."),
    Kind("actual-exceeds-plan", "warning", "relation", "Thực tế vượt xa kế hoạch",
         "Kết quả thực tế lớn hơn nhiều lần chỉ tiêu kế hoạch; cần kiểm tra lại.",
         "{label} ({actual}) gấp hơn {factor} lần kế hoạch ({expected})."),
    Kind("rule-violated", "warning", "relation", "Vi phạm quy tắc riêng của biểu mẫu",
         "Một quy tắc khai báo trong biểu mẫu không được thỏa mãn.", "{rule_message}"),
    # narrative
    Kind("narrative-disagrees", "warning", "narrative", "Phần thuyết minh khác phụ lục",
         "Cùng một số liệu nhưng phần thuyết minh của báo cáo ghi khác với biểu phụ lục.",
         "Phần thuyết minh ghi {expected} (\"{quote}\") nhưng phụ lục ghi {actual}."),
    # between levels
    Kind("level-total-differs", "warning", "levels", "Số của cấp trên khác tổng cấp dưới",
         "Báo cáo của đơn vị cấp trên ghi một chỉ tiêu về cấp dưới khác với tổng số liệu các "
         "đơn vị cấp dưới đã gửi. Là cảnh báo khi mọi đơn vị đã gửi hoặc khi số của cấp trên "
         "còn nhỏ hơn tổng đã gửi; là lưu ý khi còn đơn vị chưa gửi.",
         "{parent} ghi {actual}{percent} ({label}); tổng các {children} đã gửi là "
         "{expected}{percent} ({reported}/{of} {children})."),
    Kind("exceeds-units-in-tree", "warning", "levels", "Số đơn vị vượt số đơn vị thực có",
         "Số đơn vị của một cấp (ví dụ số xã được kiểm tra) lớn hơn số đơn vị cấp đó mà đơn "
         "vị có theo cây đơn vị hành chính.",
         "Ghi {actual} {words} ({label}) nhưng {name} chỉ có {expected} {words}."),
    Kind("sibling-outlier", "info", "levels", "Số liệu khác xa các đơn vị cùng cấp",
         "Số liệu của một đơn vị nằm rất xa khoảng số liệu của các đơn vị cùng cấp; chưa chắc "
         "là sai, nhưng nên xem lại.",
         "{unit} ghi {actual} ({label}), khác xa các đơn vị cùng cấp (từ {low} đến {high}, "
         "trung vị {median})."),
    # document
    Kind("no-appendix", "error", "document", "Không có biểu số liệu",
         "Tệp đọc được nhưng không có bảng chỉ tiêu thống kê (cột STT / Chỉ tiêu).",
         "Không tìm thấy biểu số liệu (bảng có cột STT và Chỉ tiêu) trong tệp."),
    Kind("form-unknown", "info", "document", "Chưa nhận ra biểu mẫu",
         "Biểu không khớp với biểu mẫu nào trong danh mục; các dòng vẫn được đọc.",
         "Biểu không khớp biểu mẫu nào trong danh mục (điểm cao nhất {score}); các dòng vẫn "
         "được đọc nhưng chưa gắn với chỉ tiêu."),
    Kind("unmatched-row", "info", "document", "Dòng không khớp chỉ tiêu của biểu mẫu",
         "Dòng có trong tài liệu nhưng không khớp chỉ tiêu nào của biểu mẫu; dòng vẫn được "
         "giữ lại.",
         "Dòng \"{label}\" không khớp chỉ tiêu nào của biểu mẫu {form}."),
    Kind("wrong-level", "warning", "document", "Điền chỉ tiêu không thuộc cấp mình",
         "Đơn vị điền số liệu vào chỉ tiêu dành cho cấp khác (ví dụ xã điền chỉ tiêu của sở, "
         "ngành).",
         "Chỉ tiêu dành cho {levels} nhưng đơn vị {level} đã ghi \"{raw}\"."),
    Kind("missing-number", "warning", "document", "Thiếu số văn bản",
         "Không tìm thấy số ký hiệu của báo cáo (ví dụ Số: 228/BC-UBND).",
         "Không tìm thấy số ký hiệu của báo cáo."),
    Kind("missing-date", "warning", "document", "Thiếu ngày ban hành",
         "Không tìm thấy ngày ban hành của báo cáo.", "Không tìm thấy ngày ban hành."),
    Kind("missing-unit", "warning", "document", "Không rõ đơn vị báo cáo",
         "Không xác định được cơ quan, đơn vị ban hành báo cáo.",
         "Không xác định được đơn vị báo cáo."),
    Kind("missing-period", "warning", "document", "Không rõ kỳ báo cáo",
         "Không xác định được kỳ báo cáo (quý, 6 tháng, 9 tháng, năm).",
         "Không xác định được kỳ báo cáo."),
    Kind("date-outside-period", "warning", "document", "Ngày ban hành không hợp với kỳ",
         "Ngày ban hành trước khi kỳ báo cáo bắt đầu, hoặc quá muộn sau khi kỳ kết thúc.",
         "Báo cáo ngày {date} nhưng kỳ báo cáo là {period} ({start} – {end})."),
    Kind("period-conflict", "warning", "document", "Kỳ báo cáo ghi không thống nhất",
         "Các phần của báo cáo ghi những kỳ báo cáo khác nhau.",
         "Trích yếu ghi \"{expected}\" nhưng ở chỗ khác ghi \"{actual}\"."),
    Kind("file-of-other-unit", "error", "document", "Tệp là báo cáo của đơn vị khác",
         "Tệp tải lên hoặc nhập vào ghi đơn vị ban hành khác với đơn vị của báo cáo đang "
         "lập; số liệu chỉ được đưa vào khi người nhập xác nhận rõ ràng.",
         "Tệp ghi đơn vị \"{actual}\", không phải \"{expected}\"."),
    Kind("file-of-other-level", "error", "document", "Tệp là báo cáo của cấp khác",
         "Tệp ghi một đơn vị ở cấp khác với đơn vị của báo cáo đang lập (ví dụ báo cáo của "
         "huyện đưa vào báo cáo của xã).",
         "Tệp là báo cáo {stated_level} (\"{stated}\"), báo cáo đang lập là của "
         "{expected_level}."),
    Kind("file-of-other-period", "error", "document", "Tệp là báo cáo của kỳ khác",
         "Kỳ báo cáo ghi trong tệp (quý, 6 tháng, 9 tháng, năm; năm nào) khác với kỳ của "
         "báo cáo đang lập.",
         "Tệp là báo cáo \"{actual}\", báo cáo đang lập là \"{expected}\"."),
    Kind("numbering-duplicate", "warning", "document", "Số thứ tự bị trùng",
         "Hai dòng trong cùng một mục có cùng số thứ tự.",
         "Số thứ tự \"{row_code}\" bị trùng với dòng trước trong cùng mục."),
    Kind("numbering-gap", "info", "document", "Số thứ tự bị nhảy cóc",
         "Số thứ tự bỏ qua một hoặc nhiều số.",
         "Sau \"{previous}\" là \"{row_code}\": thiếu {missing}."),
    Kind("numbering-misnested", "warning", "document", "Số thứ tự đặt sai mục",
         "Số thứ tự không thuộc mục đang chứa nó.",
         "Dòng \"{row_code}\" đứng sau dòng \"{previous}\" nhưng mục cha \"{parent}\" không có."),
)}


def _more() -> None:
    """The kinds of the later check families, each kept beside its family in a module of
    its own (cchc/findings_*.py), so that a family and its kinds are written together."""
    from cchc import findings_appendix, findings_narrative

    for module in (findings_narrative, findings_appendix):
        for kind in module.KINDS:
            if kind.code in KINDS:
                raise ValueError(f"finding code {kind.code!r} is defined twice")
            KINDS[kind.code] = kind


_more()

SEVERITY_WORDS = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}


def make(code: str, *, row: int | None = None, item_code: str | None = None,
         label: str | None = None, expected: Any = None, actual: Any = None,
         related: list[int] | None = None, severity: str | None = None,
         **params: Any) -> Finding:
    kind = KINDS[code]
    finding = Finding(code=code, severity=severity or kind.severity, row=row,
                      item_code=item_code, label=label, expected=expected, actual=actual,
                      related=related or [], params=params)
    finding.message = render(finding)
    return finding


def _words(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float | int):
        return format_number(float(value), None if float(value) % 1 else 0)
    if isinstance(value, list):
        return " hoặc ".join(str(_words(v)) for v in value)
    return value


def render(finding: Finding) -> str:
    kind = KINDS[finding.code]
    values: dict[str, Any] = {"label": finding.label or "", "expected": "", "actual": ""}
    values.update({k: _words(v) for k, v in finding.params.items()})
    values["expected"] = _words(finding.expected)
    values["actual"] = _words(finding.actual)
    try:
        return kind.template.format(**values)
    except (KeyError, IndexError, ValueError):
        return kind.title


def markdown() -> str:
    """The reference page of finding codes (docs/findings.md)."""
    lines = ["# Finding codes", "",
             "Generated by `cchc findings --markdown` from `cchc/findings.py`; do not edit by "
             "hand. Codes are stable: other tools depend on them.", ""]
    families = {"value": "Values", "relation": "Relations between rows",
                "narrative": "Narrative against appendix",
                "arithmetic": "Arithmetic inside the narrative",
                "levels": "Between levels", "document": "Document"}
    for family, title in families.items():
        if not any(k.family == family for k in KINDS.values()):
            continue
        lines += [f"## {title}", "", "| code | severity | title | description |",
                  "| --- | --- | --- | --- |"]
        for kind in KINDS.values():
            if kind.family == family:
                lines.append(f"| `{kind.code}` | {kind.severity} | {kind.title} | "
                             f"{kind.description} |")
        lines.append("")
    return "\n".join(lines)
