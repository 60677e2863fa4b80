import { Alert, Center, Code, Stack, Text, Title } from '@mantine/core'
import { IconLock } from '@tabler/icons-react'

/** Shown in a browser that opened the server without the token the server printed. */
export function NoAccess() {
  return (
    <Center h="100vh" p="xl">
      <Stack maw={560}>
        <Title order={2}>Imaging Workstation</Title>
        <Alert color="orange" icon={<IconLock size={20} />} title="This page needs the access token">
          <Text size="sm">
            The headless server accepts only requests that carry the token it printed when it started. Open the
            full URL from the terminal, for example <Code>http://127.0.0.1:PORT/#token=…</Code>.
          </Text>
        </Alert>
      </Stack>
    </Center>
  )
}
