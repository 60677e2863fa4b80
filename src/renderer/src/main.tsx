import '@mantine/core/styles.css'
import '@mantine/notifications/styles.css'
import { ColorSchemeScript, MantineProvider, localStorageColorSchemeManager } from '@mantine/core'
import { Notifications } from '@mantine/notifications'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { ClientProvider } from './client-context'
import { NoAccess } from './components/NoAccess'
import { theme } from './theme'
import { connect } from './transport/connect'

const client = connect()
const colorSchemeManager = localStorageColorSchemeManager({ key: 'imaging.color-scheme' })

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ColorSchemeScript defaultColorScheme="auto" />
    <MantineProvider theme={theme} defaultColorScheme="auto" colorSchemeManager={colorSchemeManager}>
      <Notifications position="bottom-right" />
      {client ? (
        <ClientProvider client={client}>
          <App />
        </ClientProvider>
      ) : (
        <NoAccess />
      )}
    </MantineProvider>
  </StrictMode>,
)
