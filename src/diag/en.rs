//! The messages in English (`language = "en"` in site.toml, or `--lang en`). Each says
//! what is wrong and, where niemyet can tell, the form to write ("Write: …").

use super::fix;
use super::msg::{
    self, is_optional, key_desc as kd, Claimant, Expected, Found, Msg, Part, TomlProblem,
};

fn expected(e: Expected) -> &'static str {
    match e {
        Expected::String => "a string in quotes",
        Expected::Text => "a text in quotes, not empty",
        Expected::TextList => "a list of strings [\"…\", \"…\"]",
        Expected::WholeNumber => "a whole number written plainly (no dots, no unit)",
        Expected::Number => "a number",
        Expected::Bool => "true or false",
        Expected::Date => "a date written year-month-day, without quotes",
        Expected::Table => "a table { … }",
        Expected::List => "a list [ … ]",
        Expected::TableList => "a list of tables [{ … }, { … }]",
    }
}

fn found(f: Found) -> &'static str {
    match f {
        Found::String => "a string",
        Found::Integer => "an integer",
        Found::Float => "a decimal number",
        Found::Bool => "true/false",
        Found::Date => "a date",
        Found::List => "a list",
        Found::Table => "a table",
    }
}

fn claimant(c: &Claimant) -> String {
    match c {
        Claimant::Unit { path } => format!("unit {path}"),
        Claimant::Procedure { code, unit } => format!("procedure {code} of {unit}"),
    }
}

fn write(fix: Option<&str>) -> String {
    fix.map(|f| format!(". Write: `{f}`")).unwrap_or_default()
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

pub fn text(m: &Msg) -> String {
    match m {
        Msg::Text(s) => s.clone(),
        Msg::CannotRead { error } => format!("cannot read: {error}"),
        Msg::TooLarge { len, max } => format!(
            "the file is {len} bytes; files larger than {max} bytes are not read"
        ),
        Msg::NotUtf8 => "the file is not valid UTF-8 text (save it as UTF-8)".into(),
        Msg::FrontMatterMissing => "expected front matter: the file must start with a `+++` line, then TOML keys, then a closing `+++` line".into(),
        Msg::FrontMatterYaml => "YAML front matter (---) is not supported: put the keys in TOML between `+++` lines".into(),
        Msg::FrontMatterUnclosed => "the front matter is not closed: add a `+++` line after the TOML keys".into(),
        Msg::Toml {
            key,
            problem,
            fix,
            detail,
        } => {
            let at = key.as_deref().map(|k| format!("{}: ", kd(k))).unwrap_or_default();
            let what = match problem {
                TomlProblem::DateDayFirst => "a date is written year-month-day, without quotes",
                TomlProblem::DateDigits => "month and day take two digits each (year-month-day)",
                TomlProblem::DateImpossible => "this day is not in the calendar",
                TomlProblem::GroupedNumber => "a number is written without dots or commas between thousands",
                TomlProblem::TimeWords => "a processing time is a table of a number and a unit, not words",
                TomlProblem::Unquoted => "text goes in quotes",
                TomlProblem::NoValue => "a value is missing after =",
                TomlProblem::UnclosedString => "a string is opened and not closed: add a \" at its end",
                TomlProblem::UnclosedList => "a list opened with [ is not closed: add a ] at its end",
                TomlProblem::UnclosedTable => "a table opened with { is not closed: add a } at its end, on the same line",
                TomlProblem::MissingComma => "a comma is missing between items",
                TomlProblem::TooDeep => "lists or tables nested too deeply (beyond 256 levels)",
                TomlProblem::DateSeparator => "a date is written year-month-day with dashes (-) between its parts, not / or .",
                TomlProblem::DateWords => "a date is written in digits year-month-day, without words and without quotes",
                TomlProblem::FenceInToml => "a .toml file has no +++ or --- lines: only .md files put their keys between two +++ lines; delete these lines (or rename the file to .md)",
                TomlProblem::FullWidth => "a full-width ＝ or ： (from an input method) is not TOML: use a plain =, with the input method off for keys",
                TomlProblem::CurlyQuotes => "curly quotes “ ” (a word processor's) are not TOML: use straight \" quotes",
                TomlProblem::Colon => "a key and its value are joined by =, not :",
                TomlProblem::NumberTooLarge => "the number is too large (or written like 1e400): write the real number, plain, without dots",
                TomlProblem::SampleDate => "the sample value YYYY-MM-DD is still there: write the real date, year-month-day, without quotes, or put the # back at the line's start",
                TomlProblem::SampleNumber => "the sample value SỐ is still there: write the real number, or put the # back at the line's start",
                TomlProblem::Other => "",
            };
            if what.is_empty() {
                format!("{at}invalid TOML ({detail})")
            } else {
                format!("{at}invalid TOML: {what}{}", write(fix.as_deref()))
            }
        }
        Msg::DuplicateKey { key } => format!(
            "invalid TOML: duplicate key `{key}`: a key can be given only once (delete one line)"
        ),
        Msg::SymlinkFolder => "this folder is a symbolic link; units must be plain folders inside content/ (it is not read)".into(),
        Msg::SymlinkFile => "this is a symbolic link; procedure and unit files must be plain files inside content/".into(),
        Msg::NoContentFolder => "the folder content/ does not exist (run `niemyet init` to start a site)".into(),
        Msg::FolderWithoutUnit { count, files, path } => format!(
            "this folder holds {count} procedure file(s) ({}) but no _unit.toml: make it a unit with `niemyet new unit {path} --name \"…\" --kind xa`, or move the files into a unit",
            list(files)
        ),
        Msg::FolderBetweenUnits { path, units } => format!(
            "this folder lies between units ({}) but has no _unit.toml, so the page /{path}/ does not exist: create it with `niemyet new unit {path} --name \"…\" --kind …`",
            list(units)
        ),
        Msg::BadFolderName { name } => format!(
            "the folder name \"{name}\" cannot be an address: use lowercase ASCII letters, digits and - (e.g. xa-dong-loi)"
        ),
        Msg::MissingKey { key } => format!(
            "missing required key {}{}",
            kd(key),
            write(fix::example(key).as_deref())
        ),
        Msg::UnknownKey {
            key,
            suggestion,
            known,
        } => match suggestion {
            Some(s) => format!(
                "unknown key `{key}` — did you mean `{s}`? (a site's own keys go in the [extra] table)"
            ),
            None => format!(
                "unknown key `{key}` (keys here: {}; a site's own keys go in the [extra] table)",
                list(known)
            ),
        },
        Msg::WrongType {
            key,
            expected: e,
            found: f,
            fix,
        } => format!(
            "{}: expected {}, found {}{}",
            kd(key),
            expected(*e),
            found(*f),
            write(fix.as_deref())
        ) + if fix.as_deref().is_some_and(|f| f.contains("Miễn phí")) {
            " (no fee at all: `fees = []` for this channel works too)"
        } else {
            ""
        },
        Msg::NumberTooLarge { key } => format!("{}: the number is too large", kd(key)),
        Msg::NotFinite { key } => format!(
            "{}: expected a finite number{}",
            kd(key),
            write(fix::example(key).as_deref())
        ),
        Msg::NegativeCount { key, found } => format!(
            "{}: expected a count of 0 or more, found {found}{}",
            kd(key),
            write(fix::example(key).as_deref())
        ),
        Msg::NegativeTime { key, found } => {
            format!("{}: expected 0 or more, found {found}", kd(key))
        }
        Msg::NegativeAmount { key, found } => format!(
            "{}: expected an amount in đồng of 0 or more, found {found}",
            kd(key)
        ),
        Msg::EmptyText { key } => format!(
            "{}: expected text, found an empty string (list the key in `unpublished` if the source gives nothing)",
            kd(key)
        ),
        Msg::EmptyList { key } => format!(
            "{}: the list is empty (list the key in `unpublished` if the source gives nothing){}",
            kd(key),
            write(fix::example(key).as_deref())
        ),
        Msg::BadDate { key, found, fix } => format!(
            "{}: \"{found}\" is not a real date written year-month-day{}",
            kd(key),
            write(fix.as_deref().or(fix::example(key).as_deref()))
        ),
        Msg::BadSlug {
            key,
            found,
            expected,
            suggestion,
        } => {
            let hint = suggestion
                .as_ref()
                .map(|s| format!(" — did you mean \"{s}\"?"))
                .unwrap_or_default();
            format!(
                "{}: \"{found}\" is not a valid value{hint} (expected one of {})",
                kd(key),
                list(expected)
            )
        }
        Msg::BadUrl { key, found } => format!(
            "{}: expected a web address starting with https:// or http://, found \"{found}\"",
            kd(key)
        ),
        Msg::BadPhone { key, found } => format!(
            "{}: \"{found}\" is not a phone number (the page makes it a call link): write the number, e.g. `phone = \"0207 3822 000\"`; none yet: delete the line",
            kd(key)
        ),
        Msg::BadEmail { key, found } => format!(
            "{}: \"{found}\" is not an e-mail address (name@domain.vn, no spaces): e.g. `email = \"motcua@xa.gov.vn\"`; none yet: delete the line",
            kd(key)
        ),
        Msg::TimeZero { key } => format!(
            "{}: a time of 0 shows as \"0 ngày\": for the same day write `time = {{ text = \"Trong ngày\" }}`; if unknown, leave `time` out and list \"time\" in `unpublished`",
            kd(key)
        ),
        Msg::KeysInExtra { keys } => format!(
            "the keys {} are written after the [extra] line, so they belong to [extra] and are not read as the file's keys: move [extra] to the end of the file (every key after a [table] line belongs to that table)",
            keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ),
        Msg::Placeholder { key, value } => format!(
            "{}: a placeholder is still there (\"{value}\"): replace it with the real value{}",
            kd(key),
            if is_optional(key) {
                " (an optional key: deleting its line works too)"
            } else {
                ""
            }
        ),
        Msg::SampleAddress { key, value } => format!(
            "{}: the example address \"{value}\" is still there: {}; replace it with the agency's real one",
            kd(key),
            if msg::last_name(key) == "base_url" {
                format!("printed QR codes would lead to {value}, not the agency's site")
            } else {
                "citizens would write to an address that does not exist".to_owned()
            }
        ),
        Msg::BadBaseUrl { found } => format!(
            "{}: expected an absolute URL, found \"{found}\". Write: `base_url = \"https://thutuc.example.gov.vn/\"`",
            kd("base_url")
        ),
        Msg::BadTheme { found } => format!(
            "{}: \"{found}\" must be a folder name under themes/ (lowercase letters, digits, -)",
            kd("theme")
        ),
        Msg::ThemeMissing { found, suggestion, available } => format!(
            "{}: there is no folder themes/{found}/{}. Themes: {} (`default` is the built-in one). Write: `theme = \"{}\"`, or make a folder themes/{found}/ holding only the files to change",
            kd("theme"),
            suggestion.as_deref().map(|s| format!(" — did you mean `{s}`?")).unwrap_or_default(),
            list(available),
            suggestion.as_deref().unwrap_or("default"),
        ),
        Msg::UnknownLanguage { found, suggestion, available } => format!(
            "{}: the theme has no interface strings for the language \"{found}\"{}. Languages: {}. Write: `language = \"{}\"`",
            kd("language"),
            suggestion.as_deref().map(|s| format!(" — did you mean `{s}`?")).unwrap_or_default(),
            list(available),
            suggestion.as_deref().unwrap_or("vi"),
        ),
        Msg::BadFormerPath { key, found } => format!(
            "{}: expected an old address of folder names (lowercase ASCII letters, digits, -) joined by /, found \"{found}\". Write: `path = \"huyen-son-duong/xa-dong-loi\"`",
            kd(key)
        ),
        Msg::BadCode { found } => format!(
            "{}: \"{found}\" cannot be an address segment; use letters, digits, `.`, `-` or `_`. Write: `code = \"1.001193\"`",
            kd("code")
        ),
        Msg::NotUnpublishable { item, allowed } => format!(
            "{}: `{item}` cannot be listed; expected some of {}",
            kd("unpublished"),
            list(allowed)
        ),
        Msg::NotPublished { key } => format!(
            "{} is not published by the source (listed in `unpublished`); the page shows “Chưa công bố”",
            kd(key)
        ),
        Msg::ReplacedByWithoutRepealed => format!(
            "{} has no effect without {}",
            kd("replaced_by"),
            kd("repealed")
        ),
        Msg::EmptyChannels => format!(
            "{}: the list is empty; give at least one way to submit{}",
            kd("channels"),
            write(fix::example("channels").as_deref())
        ),
        Msg::ChannelLacks {
            key,
            part,
            unpublished,
        } => {
            let why = match (part, unpublished) {
                (_, true) => "is not published by the source",
                (Part::Time, false) => "is missing",
                (Part::Fees, false) => "is missing (write `fees = []` if the channel is free)",
            };
            format!("{} {why}; the page shows “Chưa công bố”", kd(key))
        }
        Msg::TimeValueWithoutUnit { key } => format!(
            "{}: `value` is given without `unit` (working-days, days, hours, months, years). Write: `time = {{ value = 3, unit = \"working-days\" }}`",
            kd(key)
        ),
        Msg::TimeUnitWithoutValue { key } => format!(
            "{}: `unit` is given without `value`. Write: `time = {{ value = 3, unit = \"working-days\" }}`",
            kd(key)
        ),
        Msg::TimeEmpty { key } => format!(
            "{}: a time with neither value nor text; the page shows “Chưa công bố”",
            kd(key)
        ),
        Msg::FeeEmpty { key } => format!(
            "{}: a fee needs `amount` (in đồng) or `text`, or both. Write: `{{ amount = 15000, text = \"Lệ phí\" }}`",
            kd(key)
        ),
        Msg::FeeZeroNoText { key } => format!(
            "{}: a fee of 0 with no text; say why nothing is charged (e.g. text = \"Miễn lệ phí\")",
            kd(key)
        ),
        Msg::UnknownForm { key, name } => format!(
            "{}: no entry of `forms` is named \"{name}\"",
            kd(key)
        ),
        Msg::FormBoth { key } => format!("{}: give `file` or `url`, not both", kd(key)),
        Msg::FormNeither { key } => format!(
            "{}: missing `file` (a file inside content/) or `url`. Write: `{{ name = \"Tờ khai\", file = \"forms/to-khai.pdf\" }}`",
            kd(key)
        ),
        Msg::FormAbsolute { key, path } => format!(
            "{}: \"{path}\" is an absolute path; give a path relative to this file, inside content/",
            kd(key)
        ),
        Msg::FormOutside { key, path } => format!(
            "{}: \"{path}\" leads outside content/; forms must be files inside content/",
            kd(key)
        ),
        Msg::FormMissing { key, path, looked } => format!(
            "{}: the file \"{path}\" does not exist (looked for {looked})",
            kd(key)
        ),
        Msg::FormLinkOutside { key, path } => format!(
            "{}: \"{path}\" is a link to a file outside content/",
            kd(key)
        ),
        Msg::BodyAndSteps => "the Markdown body replaces the `steps` key; keep only one of them".into(),
        Msg::DuplicateCatalogCode { code, other } => format!(
            "duplicate code `{code}` in the catalogue: also defined at {other}. One file per code: keep one, delete the other (the sample procedures `niemyet init` wrote, such as content/_catalog/ho-tich/, can go once the national data is imported); a unit that differs from the catalogue uses an override file: niemyet new procedure UNIT {code}"
        ),
        Msg::DuplicateCode { code, unit, other } => format!(
            "duplicate code `{code}` in unit {unit}: also defined at {other}"
        ),
        Msg::AdoptMissing { code } => format!(
            "{}: code `{code}` is not in the catalogue (content/_catalog/)",
            kd("adopt")
        ),
        Msg::AdoptOwn { code, file } => format!(
            "{}: code `{code}` is this unit's own procedure ({file}), not a catalogue entry; a unit cannot adopt from itself: remove it from `adopt`",
            kd("adopt")
        ),
        Msg::StaleKind { kind } => format!(
            "{}: `{kind}` no longer exists since 01/07/2025; keep it only for historical data",
            kd("kind")
        ),
        Msg::MissingOffice { unit } => format!(
            "missing required key {}: unit {unit} publishes procedures, so citizens must know where to submit. Write: `[office]` with `name = \"…\"` and `address = \"…\"`",
            kd("office")
        ),
        Msg::MissingFeedback { unit } => format!(
            "missing required key {}: unit {unit} publishes procedures; give it here, in a parent unit or in site.toml. Write: `[feedback]` with `agency = \"…\"` and `address = \"…\"`",
            kd("feedback")
        ),
        Msg::RepealedBeforeEffective {
            repealed,
            effective,
        } => format!(
            "{} ({}) is before {} ({})",
            kd("repealed"),
            repealed.vi(),
            kd("effective"),
            effective.vi()
        ),
        Msg::ReplacedByNowhere { code } => format!(
            "{}: code `{code}` is published nowhere on the site",
            kd("replaced_by")
        ),
        Msg::ReservedTop { name } => format!(
            "the folder name `{name}` is used by the site itself (/{name}/); rename the folder"
        ),
        Msg::ReservedInUnit { name } => format!(
            "the folder name `{name}` is used by the parent unit's pages; rename the folder"
        ),
        Msg::ReservedCode { code } => format!(
            "the code `{code}` is an address the unit's pages use; it cannot be a procedure code"
        ),
        Msg::FormerReserved { path } => format!(
            "{}: path `{path}` is used by the site itself",
            kd("former")
        ),
        Msg::AddressTwice {
            addr,
            first,
            second,
        } => format!(
            "two pages claim the address /{addr}/: {} and {}",
            claimant(first),
            claimant(second)
        ),
        Msg::FormerClaimed { path, who } => format!(
            "{}: path `{path}` is the address of {}: two units cannot claim the same address",
            kd("former"),
            claimant(who)
        ),
        Msg::ReplacementLoop { chain } => format!(
            "{} goes round in a loop of repealed procedures: {}; at least one must name a procedure in force",
            kd("replaced_by"),
            chain.join(" → ")
        ),
    }
}

/// The heading of a group of warnings in a summary.
pub fn kind_title(kind: &str) -> &'static str {
    match kind {
        "channel-lacks-time" => "a channel without a processing time",
        "channel-lacks-fees" => "a channel without fees",
        "not-published" => {
            "a component the source does not publish (the page shows “Chưa công bố”)"
        }
        "fee-zero-no-text" => "a fee of 0 with no text",
        "time-empty" => "a time with neither value nor text",
        "stale-kind" => "a unit kind abolished on 01/07/2025",
        "replaced-by-without-repealed" => "`replaced_by` without `repealed`",
        "replaced-by-nowhere" => "a replacement published nowhere",
        "adopt-own" => "`adopt` naming the unit's own procedure",
        "sample-address" => "example addresses (example.…) not replaced",
        "body-and-steps" => "both a Markdown body and `steps`",
        "time-zero" => "processing time of 0",
        "keys-in-extra" => "the file's keys inside [extra]",
        "other" => "other warnings",
        _ => "errors",
    }
}
