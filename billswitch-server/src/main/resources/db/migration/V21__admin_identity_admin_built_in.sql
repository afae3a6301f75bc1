-- The built-in identity (billswitch.admin-token) is named "admin", as the console's login shows it; "root" becomes
-- a name an identity may have. An identity already named "admin" is renamed "admin.renamed" (its token still works).
update admin_identities set name = 'admin.renamed' where name = 'admin';
alter table admin_identities drop constraint admin_identities_name_check;
alter table admin_identities add constraint admin_identities_name_check
    check (name ~ '^[a-z0-9][a-z0-9._-]{1,39}$' and name <> 'admin');
