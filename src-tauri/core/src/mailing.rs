//! Mailing lists: the people a filter selects who opted in to the channel, one row each with
//! their first usable address for it (the primary one first). The preview and the export run
//! the same selection inside one read transaction, so the file holds exactly the rows the
//! preview counted; opted-out and unknown never reach the file.

use std::borrow::Cow;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::types::Value;
use rusqlite::{Connection, Row, params_from_iter};

use crate::audience::Audience;
use crate::csv_file::{CsvLayout, csv_error, spreadsheet_safe, write_csv_file};
use crate::customers::parse_column;
use crate::error::{Error, Result};
use crate::fold::is_cjk;
use crate::model::*;
use crate::problem::Problem;
use crate::store::Book;

/// People shown in the preview.
const SAMPLE_ROWS: u32 = 20;
/// Rows between two progress reports and cancellation checks.
const PROGRESS_EVERY: u64 = 2_000;

impl Book {
    /// How many people the filter selects, how many would be written and why the others are
    /// left out, with the first rows as they would be written. Nothing is written.
    pub fn preview_mailing_list(&self, filter: &MailingFilter) -> Result<MailingPreview> {
        let region = self.settings()?.default_region;
        let tx = self.conn.unchecked_transaction()?;
        let selection = Selection::new(&tx, filter, &region)?;
        let mut preview = selection.counts(&tx)?;
        let mut sample = Vec::new();
        selection.write_rows(
            &tx,
            Some(SAMPLE_ROWS),
            &AtomicBool::new(false),
            &mut |_| {},
            &mut |_, row| {
                sample.push(row);
                Ok(())
            },
            0,
        )?;
        preview.sample = sample;
        Ok(preview)
    }

    /// Writes the list to `out` (replacing it only once the whole file is written) and returns
    /// what it holds: the rows the preview counted, by the same walk over the book.
    pub fn export_mailing_list(
        &self,
        filter: &MailingFilter,
        options: &MailingFileOptions,
        out: &Path,
        cancel: &AtomicBool,
        progress: impl FnMut(JobProgress),
    ) -> Result<MailingExport> {
        Ok(self.write_mailing_list(filter, options, out, cancel, progress)?.0)
    }

    /// Writes the list as [`Book::export_mailing_list`] does and, once the whole file is
    /// written, records it as the campaign named `campaign` (found or created, see
    /// [`Book::record_campaign_contacts`]) with a contact for everyone written. A name no
    /// campaign may have is refused before anything is written; a cancelled or failed export
    /// records nothing.
    pub fn export_mailing_list_as_campaign(
        &mut self,
        filter: &MailingFilter,
        options: &MailingFileOptions,
        campaign: &str,
        out: &Path,
        cancel: &AtomicBool,
        progress: impl FnMut(JobProgress),
    ) -> Result<MailingExport> {
        let campaign = crate::insights::campaign_name("campaign", campaign)?;
        let (mut written, customer_ids) = self.write_mailing_list(filter, options, out, cancel, progress)?;
        written.campaign = Some(self.record_campaign_contacts(&campaign, filter.channel, &customer_ids)?);
        Ok(written)
    }

    /// The export, with the ids of the customers written, in the file's order.
    fn write_mailing_list(
        &self,
        filter: &MailingFilter,
        options: &MailingFileOptions,
        out: &Path,
        cancel: &AtomicBool,
        mut progress: impl FnMut(JobProgress),
    ) -> Result<(MailingExport, Vec<i64>)> {
        let delimiter = match options.delimiter.as_str() {
            "," => b',',
            ";" => b';',
            other => {
                return Err(Error::invalid(
                    "delimiter",
                    Problem::NotAListSeparator { value: other.to_string() },
                ));
            }
        };
        if options.format == MailingFormat::Mailchimp && filter.channel != MailingChannel::Email {
            return Err(Error::invalid("format", Problem::MailchimpNeedsEmail));
        }
        let region = self.settings()?.default_region;
        let tx = self.conn.unchecked_transaction()?;
        let selection = Selection::new(&tx, filter, &region)?;

        let layout =
            Layout { format: options.format, channel: filter.channel, spreadsheet: options.spreadsheet };
        let file_layout = CsvLayout { delimiter, spreadsheet: options.spreadsheet };
        let mut customer_ids = Vec::new();
        let counts = write_csv_file(out, &file_layout, |writer| {
            writer.write_record(layout.header()).map_err(csv_error(out))?;
            let counts = selection.counts(&tx)?;
            let total = u64::from(counts.rows);
            progress(JobProgress { done: 0, total });
            let written = selection.write_rows(
                &tx,
                None,
                cancel,
                &mut progress,
                &mut |customer_id, row| {
                    customer_ids.push(customer_id);
                    writer
                        .write_record(layout.cells(&row).iter().map(|cell| cell.as_bytes()))
                        .map_err(csv_error(out))
                },
                total,
            )?;
            if written != counts.rows {
                // Cannot happen inside one read transaction; refuse rather than hand out a list
                // that differs from what the dealer saw.
                return Err(Error::Io {
                    path: out.display().to_string(),
                    source: std::io::Error::other(format!(
                        "{written} people were listed but {} counted",
                        counts.rows
                    )),
                });
            }
            progress(JobProgress { done: total, total });
            Ok(counts)
        })?;
        let written = MailingExport {
            file: out.display().to_string(),
            rows: counts.rows,
            excluded_no_consent: counts.excluded_no_consent,
            excluded_no_address: counts.excluded_no_address,
            campaign: None,
        };
        Ok((written, customer_ids))
    }
}

impl Book {
    /// Hands every person the CSV export of `filter` would write to `each`, in the file's
    /// order, from the same selection inside one read transaction (so labels printed from a
    /// list hold exactly its people); returns the counts. Progress and cancellation as the
    /// export's.
    pub(crate) fn walk_mailing_list(
        &self,
        filter: &MailingFilter,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(JobProgress),
        each: &mut dyn FnMut(MailingRow) -> Result<()>,
    ) -> Result<MailingPreview> {
        let region = self.settings()?.default_region;
        let tx = self.conn.unchecked_transaction()?;
        let selection = Selection::new(&tx, filter, &region)?;
        let counts = selection.counts(&tx)?;
        let total = u64::from(counts.rows);
        progress(JobProgress { done: 0, total });
        let walked = selection.write_rows(&tx, None, cancel, progress, &mut |_, row| each(row), total)?;
        if walked != counts.rows {
            return Err(Error::Io {
                path: "mailing list".into(),
                source: std::io::Error::other(format!(
                    "{walked} people were listed but {} counted",
                    counts.rows
                )),
            });
        }
        Ok(counts)
    }
}

/// The filter as two parameterised SELECTs: one counting who is selected, written and left
/// out (and why), one listing who is written, in name order. The preview and the export run
/// both inside one read transaction, and the export refuses a list whose length differs from
/// the count.
struct Selection {
    channel: MailingChannel,
    counts_sql: String,
    rows_sql: String,
    params: Vec<Value>,
}

impl Selection {
    fn new(conn: &Connection, filter: &MailingFilter, region: &str) -> Result<Selection> {
        let mut params = vec![Value::Text(filter.channel.consent_channel().as_str().into())];
        let audience = Audience::compile(conn, &filter.audience, region, &mut params)?;
        let filtered = !audience.is_everyone();
        let filter_sql = audience.where_sql();
        // The customer's first usable address for the channel, primary first; `{who}` is the
        // customer's id in the surrounding query.
        let usable_address = match filter.channel {
            MailingChannel::Email => {
                "SELECT id FROM customer_emails WHERE customer_id = {who} ORDER BY is_primary DESC, position LIMIT 1"
            }
            // An unverified number (not a valid one, kept as typed) is never texted.
            MailingChannel::Sms => {
                "SELECT id FROM customer_phones WHERE customer_id = {who} AND e164 IS NOT NULL
                 ORDER BY is_primary DESC, position LIMIT 1"
            }
            // An address needs a street, a town or a postcode to carry a letter.
            MailingChannel::Post => {
                "SELECT id FROM customer_addresses
                 WHERE customer_id = {who} AND (street <> '' OR city <> '' OR postal_code <> '')
                 ORDER BY is_primary DESC, position LIMIT 1"
            }
        };
        let (table, address_columns) = match filter.channel {
            MailingChannel::Email => ("customer_emails", "a.address, '', '', '', '', ''"),
            MailingChannel::Sms => ("customer_phones", "a.e164, '', '', '', '', ''"),
            MailingChannel::Post => {
                ("customer_addresses", "'', a.street, a.city, a.region, a.postal_code, a.country")
            }
        };
        // Counted from the consents of the channel (its index), joined to the customers only
        // when a filter needs them; whoever has no answer for the channel is the rest.
        let has_address = format!("EXISTS ({})", usable_address.replace("{who}", "k.customer_id"));
        let counts_sql = format!(
            "SELECT (SELECT count(*) FROM customers c WHERE {filter_sql}),
                    count(*) FILTER (WHERE k.status = 'opted_in' AND {has_address}),
                    count(*) FILTER (WHERE k.status = 'opted_out'),
                    count(*) FILTER (WHERE k.status = 'opted_in' AND NOT {has_address})
             FROM consents k {join}
             WHERE k.channel = ?1 AND {filter_sql}",
            join = if filtered { "JOIN customers c ON c.id = k.customer_id" } else { "" }
        );
        let rows_sql = format!(
            "SELECT c.title, c.given_name, c.family_name, c.full_name, c.language, c.customer_type,
                    {address_columns},
                    (SELECT group_concat(tag, char(31)) FROM
                        (SELECT tag FROM customer_tags WHERE customer_id = c.id ORDER BY position)),
                    c.id
             FROM customers c
             JOIN {table} a ON a.id = ({usable})
             WHERE (SELECT status FROM consents WHERE customer_id = c.id AND channel = ?1) = 'opted_in'
               AND {filter_sql}
             ORDER BY c.sort_name, c.id",
            usable = usable_address.replace("{who}", "c.id")
        );
        Ok(Selection { channel: filter.channel, counts_sql, rows_sql, params })
    }

    /// Who the filter selects, who will be written and why the others are left out.
    fn counts(&self, conn: &Connection) -> Result<MailingPreview> {
        Ok(conn.prepare(&self.counts_sql)?.query_row(params_from_iter(&self.params), |row| {
            let matching: u32 = row.get(0)?;
            let rows: u32 = row.get(1)?;
            let excluded_opted_out: u32 = row.get(2)?;
            let excluded_no_address: u32 = row.get(3)?;
            let excluded_unknown = matching.saturating_sub(rows + excluded_opted_out + excluded_no_address);
            Ok(MailingPreview {
                matching,
                rows,
                excluded_unknown,
                excluded_opted_out,
                excluded_no_consent: excluded_unknown + excluded_opted_out,
                excluded_no_address,
                sample: Vec::new(),
            })
        })?)
    }

    /// Hands every person to be written, in name order, to `write` with their customer id (at
    /// most `limit`), with progress against `total` and cancellation between rows; returns how
    /// many.
    fn write_rows(
        &self,
        conn: &Connection,
        limit: Option<u32>,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(JobProgress),
        write: &mut dyn FnMut(i64, MailingRow) -> Result<()>,
        total: u64,
    ) -> Result<u32> {
        let mut statement = conn.prepare(&self.rows_sql)?;
        let mut rows = statement.query(params_from_iter(&self.params))?;
        let mut written = 0u32;
        while let Some(row) = rows.next()? {
            if limit.is_some_and(|limit| written >= limit) {
                break;
            }
            write(row.get(13)?, mailing_row(row, self.channel)?)?;
            written += 1;
            if u64::from(written).is_multiple_of(PROGRESS_EVERY) {
                if cancel.load(Ordering::Relaxed) {
                    return Err(Error::Cancelled);
                }
                progress(JobProgress { done: u64::from(written), total });
            }
        }
        Ok(written)
    }
}

fn mailing_row(row: &Row<'_>, channel: MailingChannel) -> Result<MailingRow> {
    let title: String = row.get(0)?;
    let first_name: String = row.get(1)?;
    let last_name: String = row.get(2)?;
    let full_name: String = row.get(3)?;
    let tags: Option<String> = row.get(12)?;
    let mut mailing = MailingRow {
        salutation: salutation(&title, &first_name, &last_name, &full_name),
        first_name,
        last_name,
        full_name,
        address: row.get(6)?,
        street: row.get(7)?,
        city: row.get(8)?,
        region: row.get(9)?,
        postal_code: row.get(10)?,
        country: row.get(11)?,
        language: row.get(4)?,
        customer_type: parse_column(row, 5)?,
        tags: tags.map(|tags| tags.split('\u{1f}').map(str::to_owned).collect()).unwrap_or_default(),
    };
    if channel == MailingChannel::Post {
        mailing.address =
            [&mailing.street, &mailing.city, &mailing.region, &mailing.postal_code, &mailing.country]
                .into_iter()
                .flat_map(|part| part.lines())
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
    }
    Ok(mailing)
}

/// "Mr Lee", "陈先生" (a Chinese title follows the family name), else the given name, else the
/// full name: what goes after "Dear".
fn salutation(title: &str, first_name: &str, last_name: &str, full_name: &str) -> String {
    match (title.is_empty(), last_name.is_empty()) {
        (false, false) if title.chars().any(is_cjk) => format!("{last_name}{title}"),
        (false, false) => format!("{title} {last_name}"),
        _ if !first_name.is_empty() => first_name.to_owned(),
        _ => full_name.to_owned(),
    }
}

struct Layout {
    format: MailingFormat,
    channel: MailingChannel,
    spreadsheet: bool,
}

impl Layout {
    fn header(&self) -> Vec<&'static str> {
        match self.format {
            MailingFormat::Mailchimp => vec!["Email Address", "First Name", "Last Name", "Tags"],
            MailingFormat::Generic => {
                let mut header = vec!["Salutation", "First name", "Last name", "Full name"];
                match self.channel {
                    MailingChannel::Email => header.push("Email"),
                    MailingChannel::Sms => header.push("Mobile"),
                    MailingChannel::Post => {
                        header.extend(["Address", "Street", "City", "Region", "Postal code", "Country"])
                    }
                }
                header.extend(["Language", "Type", "Tags"]);
                header
            }
        }
    }

    fn cells<'a>(&self, row: &'a MailingRow) -> Vec<Cow<'a, str>> {
        let tags = Cow::Owned(row.tags.join(", "));
        let mut cells: Vec<Cow<'a, str>> = match self.format {
            MailingFormat::Mailchimp => {
                vec![
                    row.address.as_str().into(),
                    row.first_name.as_str().into(),
                    row.last_name.as_str().into(),
                    tags,
                ]
            }
            MailingFormat::Generic => {
                let mut cells: Vec<Cow<'a, str>> = vec![
                    row.salutation.as_str().into(),
                    row.first_name.as_str().into(),
                    row.last_name.as_str().into(),
                    row.full_name.as_str().into(),
                    row.address.as_str().into(),
                ];
                if self.channel == MailingChannel::Post {
                    cells.extend(
                        [&row.street, &row.city, &row.region, &row.postal_code, &row.country]
                            .map(|part| Cow::Borrowed(part.as_str())),
                    );
                }
                cells.extend([row.language.as_str().into(), row.customer_type.as_str().into(), tags]);
                cells
            }
        };
        if self.spreadsheet {
            for cell in &mut cells {
                if let Cow::Owned(safe) = spreadsheet_safe(cell) {
                    *cell = Cow::Owned(safe);
                }
            }
        }
        cells
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salutations_follow_the_culture_of_the_title() {
        assert_eq!(salutation("Mr", "John", "Lee", "John Lee"), "Mr Lee");
        assert_eq!(salutation("先生", "伟", "陈", "陈伟"), "陈先生");
        assert_eq!(salutation("", "Sophie", "Martin", "Sophie Martin"), "Sophie");
        assert_eq!(salutation("", "", "", "Maison Dubois"), "Maison Dubois");
    }
}
