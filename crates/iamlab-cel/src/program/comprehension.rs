//! Compiled comprehensions: the loop variables live in local slots, bound by borrow when the
//! range is borrowed.

use super::{boolean, error, eval, local_value, Context, EvalError, Evaluated, Local, Loop, Node};
use crate::ast::ComprehensionKind;
use crate::value::Value;
use iamlab_model::Span;
use std::borrow::Cow;

/// A comprehension, as the tree walk's `comprehension`: the range's elements are bound by
/// borrow when the range is borrowed.
#[inline(never)]
pub(super) fn eval_comprehension<'p>(
    comprehension: &'p Loop,
    span: Span,
    context: &mut Context<'p, '_>,
) -> Evaluated<'p> {
    let range = eval(&comprehension.range, context)?;
    // The form of policies, `list.all(x, …)` and `list.exists(x, …)` on a list read from the
    // activation: each element bound by borrow, no index built and dropped per element.
    if let (Cow::Borrowed(Value::List(items)), None, ComprehensionKind::All | ComprehensionKind::Exists) =
        (&range, comprehension.second, comprehension.kind)
    {
        let decisive = comprehension.kind == ComprehensionKind::Exists;
        let mut first_error = None;
        for item in items.iter() {
            if let Some(slot) = context.locals.get_mut(comprehension.first) {
                *slot = Local::Borrowed(item);
            }
            match predicate(&comprehension.body, context) {
                Ok(value) if value == decisive => return boolean(decisive),
                Ok(_) => {}
                Err(failure) => {
                    first_error.get_or_insert(failure);
                }
            }
        }
        return match first_error {
            Some(failure) => Err(failure),
            None => boolean(!decisive),
        };
    }
    match range {
        Cow::Borrowed(Value::List(items)) => {
            let pairs = items
                .iter()
                .enumerate()
                .map(|(index, item)| (Local::Owned(Value::Int(index as i64)), Local::Borrowed(item)));
            comprehension_loop(comprehension, pairs, true, span, context)
        }
        Cow::Borrowed(Value::Map(map)) => {
            let pairs = map.iter().map(|(key, value)| (Local::Borrowed(key), Local::Borrowed(value)));
            comprehension_loop(comprehension, pairs, false, span, context)
        }
        Cow::Owned(Value::List(items)) => {
            let pairs = (0..items.len()).filter_map(move |index| {
                items.get(index).map(|item| (Local::Owned(Value::Int(index as i64)), Local::Owned(item.clone())))
            });
            comprehension_loop(comprehension, pairs, true, span, context)
        }
        Cow::Owned(Value::Map(map)) => {
            let pairs: Vec<(Local<'p>, Local<'p>)> =
                map.iter().map(|(key, value)| (Local::Owned(key.clone()), Local::Owned(value.clone()))).collect();
            comprehension_loop(comprehension, pairs.into_iter(), false, span, context)
        }
        other => Err(error(
            format!("no such overload: {}() on a value of type {}", comprehension.kind.name(), other.type_name()),
            comprehension.range.span,
        )),
    }
}

fn bind<'p>(comprehension: &Loop, first: Local<'p>, second: Local<'p>, is_list: bool, context: &mut Context<'p, '_>) {
    let mut set = |local: usize, value: Local<'p>| {
        if let Some(slot) = context.locals.get_mut(local) {
            *slot = value;
        }
    };
    match comprehension.second {
        Some(second_local) => {
            set(comprehension.first, first);
            set(second_local, second);
        }
        None if is_list => set(comprehension.first, second),
        None => set(comprehension.first, first),
    }
}

fn predicate<'p>(node: &'p Node, context: &mut Context<'p, '_>) -> Result<bool, Box<EvalError>> {
    match &*eval(node, context)? {
        Value::Bool(value) => Ok(*value),
        other => Err(error(format!("no such overload: predicate of type {}", other.type_name()), node.span)),
    }
}

fn comprehension_loop<'p>(
    comprehension: &'p Loop,
    pairs: impl Iterator<Item = (Local<'p>, Local<'p>)>,
    is_list: bool,
    span: Span,
    context: &mut Context<'p, '_>,
) -> Evaluated<'p> {
    match comprehension.kind {
        ComprehensionKind::All | ComprehensionKind::Exists => {
            let decisive = comprehension.kind == ComprehensionKind::Exists;
            let mut first_error = None;
            for (first, second) in pairs {
                bind(comprehension, first, second, is_list, context);
                match predicate(&comprehension.body, context) {
                    Ok(value) if value == decisive => return boolean(decisive),
                    Ok(_) => {}
                    Err(failure) => {
                        first_error.get_or_insert(failure);
                    }
                }
            }
            match first_error {
                Some(failure) => Err(failure),
                None => boolean(!decisive),
            }
        }
        ComprehensionKind::ExistsOne => {
            let mut count = 0usize;
            for (first, second) in pairs {
                bind(comprehension, first, second, is_list, context);
                if predicate(&comprehension.body, context)? {
                    count += 1;
                }
            }
            boolean(count == 1)
        }
        ComprehensionKind::Map | ComprehensionKind::Filter | ComprehensionKind::TransformList => {
            let mut out = Vec::new();
            for (first, second) in pairs {
                bind(comprehension, first, second, is_list, context);
                if comprehension.kind == ComprehensionKind::Filter {
                    if predicate(&comprehension.body, context)? {
                        // The tree walk keeps the element of a one-variable list and otherwise
                        // the key (or index): both are what the first local holds.
                        out.push(local_value(context, comprehension.first, span)?.into_owned());
                    }
                    continue;
                }
                if let Some(filter) = &comprehension.filter {
                    if !predicate(filter, context)? {
                        continue;
                    }
                }
                out.push(eval(&comprehension.body, context)?.into_owned());
            }
            Ok(Cow::Owned(Value::list(out)))
        }
        // Compiled as subtrees for the tree walk (see `Compiler::kind`).
        ComprehensionKind::TransformMap | ComprehensionKind::TransformMapEntry => {
            Err(error("internal error: transformMap is not compiled", span))
        }
    }
}
