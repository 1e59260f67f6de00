//! What may be kept about a natural person who buys (个人客户) or a buyer abroad (境外客户).
//!
//! Privacy rule: tracedesk never keeps a full 居民身份证号码 or mobile number of a person. Only the
//! masked form is kept and reported: the first 3 and the last 4 characters, the rest `*`
//! (`110***********123X`, `138****5678`): the usual display masking, enough to match a person
//! in a recall with the number they show, never enough to use it elsewhere.
//!
//! - 居民身份证号码 (GB 11643-1999): 17 digits and a check character (`0-9` or `X`) computed
//!   with ISO 7064 MOD 11-2. A full number typed in is checked, then masked; a masked one is
//!   checked for what the mask keeps (3 digits, 11 `*`, 3 digits and a digit or `X`).
//! - 手机号 (mobile): 11 digits starting `1` and `3`–`9`; masked `1xx****xxxx`.
//! - Country of a foreign buyer: ISO 3166-1 alpha-2, the list in `data/iso3166_alpha2.txt`.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::Message;

/// ISO 7064 MOD 11-2 weights of positions 1–17 (GB 11643-1999 §6).
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// How a kept number was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Masking {
    /// The input was already masked.
    AlreadyMasked,
    /// A full number came in and was masked here: the full number is not kept.
    MaskedHere,
}

/// A masked number as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    pub value: String,
    pub masking: Masking,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonError {
    #[error("the ID card number has {len} characters; a resident ID card number has 18")]
    IdLength { len: usize },
    #[error("character {pos} of the ID card number ({ch:?}) is not allowed")]
    IdChar { pos: usize, ch: char },
    #[error("the ID card check character is {found:?}, expected {expected:?}")]
    IdCheck { expected: char, found: char },
    #[error("a masked ID card number keeps the first 3 and last 4 characters with 11 '*' between")]
    IdMask,
    #[error("a mobile number has 11 digits starting with 13-19, got {value:?}")]
    Phone { value: String },
    #[error("a masked mobile number keeps the first 3 and last 4 digits with 4 '*' between")]
    PhoneMask,
    #[error("{code:?} is not an ISO 3166-1 alpha-2 country code")]
    Country { code: String },
}

impl PersonError {
    pub fn message(&self) -> Message {
        let zh = match self {
            PersonError::IdLength { len } => format!(
                "身份证号应为 18 位（或已遮蔽的“110***********123X”形式），当前为 {len} 位，请核对"
            ),
            PersonError::IdChar { pos, ch } => {
                format!("身份证号第 {pos} 位“{ch}”不合法：前 17 位为数字，第 18 位为数字或 X")
            }
            PersonError::IdCheck { expected, found } => format!(
                "身份证号第 18 位校验码应为“{expected}”，实际为“{found}”，请核对号码是否抄错"
            ),
            PersonError::IdMask => {
                "遮蔽后的身份证号应保留前 3 位和后 4 位，中间 11 位为 *，例如“110***********123X”"
                    .to_string()
            }
            PersonError::Phone { value } => {
                format!("手机号“{value}”不是 11 位、以 13–19 开头的号码，请核对")
            }
            PersonError::PhoneMask => {
                "遮蔽后的手机号应保留前 3 位和后 4 位，中间 4 位为 *，例如“138****5678”".to_string()
            }
            PersonError::Country { code } => {
                format!("“{code}”不是 ISO 3166-1 两位国家/地区代码，请填写如 US、DE、JP、HK 的代码")
            }
        };
        let en = match self {
            PersonError::Country { .. } => format!("{self}: enter a code such as US, DE, JP or HK"),
            _ => format!("{self}; check the number"),
        };
        Message::new(zh, en)
    }
}

/// The warning for a full number that was masked on input.
pub fn masked_here_message(what_zh: &str, what_en: &str) -> Message {
    Message::new(
        format!("{what_zh}已按隐私规则遮蔽为前 3 位和后 4 位，完整号码未保存"),
        format!(
            "the {what_en} was masked to its first 3 and last 4 characters; the full number was not kept"
        ),
    )
}

fn fold(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c {
            '＊' | '×' => '*',
            'x' | 'ｘ' | 'Ｘ' => 'X',
            c if ('０'..='９').contains(&c) => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// The GB 11643 check character of the first 17 digits.
pub fn id_check_char(body: &str) -> Option<char> {
    if body.len() != 17 || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = body
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(ID_CHECK[(sum % 11) as usize])
}

fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < 3 || i >= n - 4 { *c } else { '*' })
        .collect()
}

/// A resident ID card number, full or masked, to its masked form.
pub fn mask_id(input: &str) -> Result<Masked, PersonError> {
    let s = fold(input);
    let len = s.chars().count();
    if len != 18 {
        return Err(PersonError::IdLength { len });
    }
    if s.contains('*') {
        let b = s.as_bytes();
        let ok = b[..3].iter().all(u8::is_ascii_digit)
            && b[3..14].iter().all(|&c| c == b'*')
            && b[14..17].iter().all(u8::is_ascii_digit)
            && (b[17].is_ascii_digit() || b[17] == b'X');
        return if ok {
            Ok(Masked {
                value: s,
                masking: Masking::AlreadyMasked,
            })
        } else {
            Err(PersonError::IdMask)
        };
    }
    for (i, ch) in s.chars().enumerate() {
        let ok = ch.is_ascii_digit() || (i == 17 && ch == 'X');
        if !ok {
            return Err(PersonError::IdChar { pos: i + 1, ch });
        }
    }
    let expected = id_check_char(&s[..17]).unwrap_or('?');
    let found = s.as_bytes()[17] as char;
    if expected != found {
        return Err(PersonError::IdCheck { expected, found });
    }
    Ok(Masked {
        value: mask(&s),
        masking: Masking::MaskedHere,
    })
}

/// A mobile number, full or masked, to its masked form.
pub fn mask_phone(input: &str) -> Result<Masked, PersonError> {
    let s = fold(input);
    let s = s.strip_prefix("+86").unwrap_or(&s).to_string();
    let b = s.as_bytes();
    let head_ok =
        b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b[2].is_ascii_digit();
    if s.contains('*') {
        let ok =
            head_ok && b[3..7].iter().all(|&c| c == b'*') && b[7..].iter().all(u8::is_ascii_digit);
        return if ok {
            Ok(Masked {
                value: s,
                masking: Masking::AlreadyMasked,
            })
        } else {
            Err(PersonError::PhoneMask)
        };
    }
    if !head_ok || !b.iter().all(u8::is_ascii_digit) {
        return Err(PersonError::Phone {
            value: input.trim().to_string(),
        });
    }
    Ok(Masked {
        value: mask(&s),
        masking: Masking::MaskedHere,
    })
}

/// Whether `value` is a kept (masked) ID card number: what the contract accepts for a person.
pub fn is_masked_id(value: &str) -> bool {
    value.contains('*') && mask_id(value).is_ok_and(|m| m.value == value)
}

/// Whether `value` is a kept (masked) mobile number.
pub fn is_masked_phone(value: &str) -> bool {
    value.contains('*') && mask_phone(value).is_ok_and(|m| m.value == value)
}

static ALPHA2: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/iso3166_alpha2.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// An ISO 3166-1 alpha-2 country code, upper-cased. `CN` is accepted by the list; whether a
/// buyer in the mainland belongs here is the caller's question.
pub fn country(input: &str) -> Result<String, PersonError> {
    let code = input.trim().to_ascii_uppercase();
    if ALPHA2.contains(code.as_str()) {
        Ok(code)
    } else {
        Err(PersonError::Country {
            code: input.trim().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Case = (&'static str, Result<(&'static str, Masking), PersonError>);

    #[test]
    fn id_card_numbers_are_checked_and_masked() {
        // (input, Ok(kept, masked here) | Err(error))
        let cases: Vec<Case> = vec![
            // GB 11643 example number with X as the check character.
            (
                "11010519491231002X",
                Ok(("110***********002X", Masking::MaskedHere)),
            ),
            (
                "11010519491231002x",
                Ok(("110***********002X", Masking::MaskedHere)),
            ),
            (
                "110105 19491231 002X",
                Ok(("110***********002X", Masking::MaskedHere)),
            ),
            (
                "440524188001010014",
                Ok(("440***********0014", Masking::MaskedHere)),
            ),
            (
                "110***********002X",
                Ok(("110***********002X", Masking::AlreadyMasked)),
            ),
            (
                "110＊＊＊＊＊＊＊＊＊＊＊002X",
                Ok(("110***********002X", Masking::AlreadyMasked)),
            ),
            (
                "110105194912310021",
                Err(PersonError::IdCheck {
                    expected: 'X',
                    found: '1',
                }),
            ),
            ("1101051949123100", Err(PersonError::IdLength { len: 16 })),
            (
                "11010519491231A02X",
                Err(PersonError::IdChar { pos: 15, ch: 'A' }),
            ),
            ("110**********1002X", Err(PersonError::IdMask)),
            ("11************002X", Err(PersonError::IdMask)),
        ];
        for (input, want) in cases {
            let got = mask_id(input).map(|m| (m.value, m.masking));
            let want = want.map(|(v, m)| (v.to_string(), m));
            assert_eq!(got, want, "{input}");
        }
    }

    #[test]
    fn mobile_numbers_are_checked_and_masked() {
        let cases: Vec<Case> = vec![
            ("13812345678", Ok(("138****5678", Masking::MaskedHere))),
            (
                "+86 138 1234 5678",
                Ok(("138****5678", Masking::MaskedHere)),
            ),
            ("138-1234-5678", Ok(("138****5678", Masking::MaskedHere))),
            ("138****5678", Ok(("138****5678", Masking::AlreadyMasked))),
            (
                "12812345678",
                Err(PersonError::Phone {
                    value: "12812345678".into(),
                }),
            ),
            (
                "1381234567",
                Err(PersonError::Phone {
                    value: "1381234567".into(),
                }),
            ),
            (
                "0571-88888888",
                Err(PersonError::Phone {
                    value: "0571-88888888".into(),
                }),
            ),
            ("138***45678", Err(PersonError::PhoneMask)),
        ];
        for (input, want) in cases {
            let got = mask_phone(input).map(|m| (m.value, m.masking));
            let want = want.map(|(v, m)| (v.to_string(), m));
            assert_eq!(got, want, "{input}");
        }
    }

    #[test]
    fn only_masked_forms_count_as_kept() {
        assert!(is_masked_id("110***********002X"));
        assert!(!is_masked_id("11010519491231002X"));
        assert!(is_masked_phone("138****5678"));
        assert!(!is_masked_phone("13812345678"));
    }

    #[test]
    fn foreign_countries_are_iso_3166_alpha_2() {
        let cases: &[(&str, Option<&str>)] = &[
            ("US", Some("US")),
            ("de", Some("DE")),
            (" jp ", Some("JP")),
            ("HK", Some("HK")),
            ("VN", Some("VN")),
            ("UK", None),
            ("USA", None),
            ("", None),
            ("美国", None),
        ];
        for (input, want) in cases {
            assert_eq!(country(input).ok().as_deref(), *want, "{input}");
        }
    }

    #[test]
    fn person_messages_keep_the_message_rule() {
        let errors = [
            PersonError::IdLength { len: 3 },
            PersonError::IdChar { pos: 3, ch: 'A' },
            PersonError::IdCheck {
                expected: 'X',
                found: '1',
            },
            PersonError::IdMask,
            PersonError::Phone { value: "1".into() },
            PersonError::PhoneMask,
            PersonError::Country { code: "ZZ".into() },
        ];
        let mut msgs: Vec<Message> = errors.iter().map(PersonError::message).collect();
        msgs.push(masked_here_message("身份证号", "ID card number"));
        msgs.push(crate::licence::LicenceNote::Unrecognised.message());
        msgs.push(crate::licence::LicenceError::TooLong { len: 51 }.message());
        msgs.push(crate::licence::LicenceError::Control.message());
        for m in msgs {
            let breaks = crate::message::rule_breaks(&m.zh, &m.en);
            assert!(breaks.is_empty(), "{breaks:?}: {}", m.zh);
        }
    }
}
