//! Shared facts across translations (docs/translations.md): a translation may leave out a
//! non-text field and inherit it; two translations that disagree are an
//! error naming both files.

use crate::content::ContentFile;
use crate::diagnostic::Diagnostics;

/// The value of `field` for an item whose translations are `files`, in
/// inheritance order (default language first). Returns the value and the
/// file that gave it.
pub fn inherit<'a, F, T>(
    files: &[(&'a ContentFile, &'a F)],
    field: &str,
    get: impl Fn(&'a F) -> Option<&'a T>,
    diags: &Diagnostics,
) -> Option<(&'a T, &'a ContentFile)>
where
    T: PartialEq + 'a,
{
    let mut found: Option<(&'a T, &'a ContentFile)> = None;
    for (file, front) in files {
        let Some(value) = get(front) else { continue };
        match found {
            None => found = Some((value, file)),
            Some((first, first_file)) if first != value => {
                diags.push(
                    file.source
                        .error_at_key(
                            field,
                            match first_file.source.written_value(field) {
                                Some(theirs) => format!(
                                    "`{field}` differs from its translation {}, which has `{field} = {theirs}`",
                                    first_file.source.shown.display()
                                ),
                                None => format!(
                                    "`{field}` differs from its translation {}",
                                    first_file.source.shown.display()
                                ),
                            },
                        )
                        .with_hint(format!(
                            "translations share `{field}`: give the same value in {} and {}, or leave it out of one",
                            first_file.source.shown.display(),
                            file.source.shown.display()
                        )),
                );
            }
            Some(_) => {}
        }
    }
    found
}
